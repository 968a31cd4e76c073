import type { Feature } from "../kernel/feature.js";
import { needsLater, startNeedsAnswer, submitNeedsAnswer } from "./answer-needs-survey.js";
import { startCoverageTarget, submitCoverageTarget } from "./coverage-target.js";
import { listOffer } from "./list-offer.js";
import { listResources } from "./list-resources.js";
import { showMyTraining } from "./my-training.js";
import { resumeNeedsSurveys, stopNeedsSurveys } from "./needs-opt-out.js";
import { showNeedsResults } from "./needs-results.js";
import { trainingJobs } from "./needs-upkeep.js";
import { startRecordTraining, submitRecordTraining } from "./record-training.js";
import { retireCourse } from "./retire-course.js";
import { retireResource } from "./retire-resource.js";
import { scheduleCourse, submitScheduleCourse } from "./schedule-course.js";
import { startAttendance, submitAttendance } from "./take-attendance.js";
import { editCourse, newCourseForm, submitCourseForm } from "./save-course.js";
import { editResource, newResourceForm, submitResourceForm } from "./save-resource.js";
import { newNeedsSurvey, sendNeedsSurvey, submitNeedsSurvey } from "./send-needs-survey.js";
import { confirmLevel, keepLevel } from "./suggest-level.js";
import { trainingData } from "./training-data.js";
import { trainingHome } from "./training-home.js";
import { showTrainingMap } from "./training-map.js";
import { trainingVerbs } from "./verbs.js";

/**
 * The network's tiered training offer, facilitated sessions as network events with attendance, who has done what, what people need next, the resource library,
 * and how training spreads across organisations against their targets.
 */
export const training: Feature = {
  name: "training",
  help: { area: "training", title: "Training" },
  verbs: trainingVerbs,
  commands: {
    training: listOffer,
    "training done": startRecordTraining,
    "training mine": showMyTraining,
    "training level": confirmLevel,
    "training later": keepLevel,
    "training add": newCourseForm,
    "training edit": editCourse,
    "training retire": retireCourse,
    "training schedule": scheduleCourse,
    "training attendance": startAttendance,
    "training map": showTrainingMap,
    "training target": startCoverageTarget,
    resources: listResources,
    "resource add": newResourceForm,
    "resource edit": editResource,
    "resource retire": retireResource,
    needs: startNeedsAnswer,
    "needs later": needsLater,
    "needs stop": stopNeedsSurveys,
    "needs resume": resumeNeedsSurveys,
    "needs survey": newNeedsSurvey,
    "needs send": sendNeedsSurvey,
    "needs results": showNeedsResults,
  },
  forms: {
    "training course": { who: "coordinators", submit: submitCourseForm },
    "training done": { who: "anyone", submit: submitRecordTraining },
    "training target": { who: "coordinators", submit: submitCoverageTarget },
    "training schedule": { who: "coordinators", submit: submitScheduleCourse },
    // The facilitator may send it too: the use case checks who sent it against the event named in it.
    "training attendance": { who: "anyone", submit: submitAttendance },
    resource: { who: "coordinators", submit: submitResourceForm },
    needs: { who: "anyone", submit: submitNeedsAnswer },
    "needs survey": { who: "coordinators", submit: submitNeedsSurvey },
  },
  memberData: trainingData,
  synonyms: { courses: "training", course: "training", learning: "training", resource: "resources", library: "resources" },
  jobs: trainingJobs,
  home: trainingHome,
};
