import type { Feature } from "../kernel/feature.js";
import { pulsesHome } from "./pulses-home.js";
import { pulseJobs } from "./jobs.js";
import { seedPulseQuestions } from "./question-bank.js";
import { pulseSettingsFrom } from "./settings.js";
import { startPulse, submitPulse, pulseLater, tapPulseAnswer } from "./answer-pulse.js";
import { pulseMemberData } from "./member-data.js";
import { listPulseQuestions, pulseQuestionForm, retirePulseQuestion, submitPulseQuestion } from "./question-bank-verbs.js";
import { resumePulses, stopPulses } from "./pulse-opt-out.js";
import { showPulseResults } from "./pulse-results.js";
import { startPulseRound } from "./start-round.js";
import { pulseVerbs } from "./verbs.js";

/** Pulse questions on the principles: the question bank, rounds, anonymous answers and results. */
export const pulses: Feature = {
  name: "pulses",
  help: { area: "pulses", title: "Pulse questions" },
  verbs: pulseVerbs,
  commands: {
    pulse: startPulse,
    "pulse answer": tapPulseAnswer,
    "pulse later": pulseLater,
    "pulse stop": stopPulses,
    "pulse resume": resumePulses,
    "pulse start": startPulseRound,
    "pulse results": showPulseResults,
    "pulse questions": listPulseQuestions,
    "pulse add": pulseQuestionForm,
    "pulse edit": pulseQuestionForm,
    "pulse retire": retirePulseQuestion,
  },
  forms: { pulse: { who: "anyone", submit: submitPulse }, "pulse question": { who: "coordinators", submit: submitPulseQuestion } },
  memberData: pulseMemberData,
  synonyms: { pulses: "pulse" },
  jobs: pulseJobs,
  seed: seedPulseQuestions,
  settings: pulseSettingsFrom,
  home: pulsesHome,
};
