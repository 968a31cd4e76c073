import type { Feature } from "../kernel/feature.js";
import { listOffer } from "./list-offer.js";
import { showMyTraining } from "./my-training.js";
import { startRecordTraining, submitRecordTraining } from "./record-training.js";
import { retireCourse } from "./retire-course.js";
import { editCourse, newCourseForm, submitCourseForm } from "./save-course.js";
import { confirmLevel, keepLevel } from "./suggest-level.js";
import { trainingData } from "./training-data.js";
import { showTrainingMap } from "./training-map.js";
import { trainingVerbs } from "./verbs.js";

/** The network's tiered training offer, who has done what, and how training spreads across organisations. */
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
    "training map": showTrainingMap,
  },
  forms: {
    "training course": { who: "coordinators", submit: submitCourseForm },
    "training done": { who: "anyone", submit: submitRecordTraining },
  },
  memberData: trainingData,
  synonyms: { courses: "training", course: "training", learning: "training" },
};
