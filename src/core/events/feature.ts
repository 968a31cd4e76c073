import type { Feature } from "../kernel/feature.js";
import { eventsHome } from "./events-home.js";
import { eventJobs } from "./jobs.js";
import { answerInvite } from "./answer-invite.js";
import { calendarFile } from "./calendar-file.js";
import { cancelEvent } from "./cancel-event.js";
import { editEvent } from "./change-event.js";
import { confirmDraft, skipDraft, stopSeries } from "./answer-draft.js";
import { eventData } from "./event-data.js";
import { answersFile, exportAnswers } from "./export-answers.js";
import { upcomingEvents } from "./list-events.js";
import { newEventForm, submitEventForm } from "./save-event.js";
import { eventVerbs } from "./verbs.js";

/** Network events: the six-monthly gathering, invites with RSVP, reminders and calendars. */
export const events: Feature = {
  name: "events",
  help: { area: "events", title: "Network events" },
  verbs: eventVerbs,
  commands: {
    events: upcomingEvents,
    "event new": newEventForm,
    "event edit": editEvent,
    "event cancel": cancelEvent,
    "event export": exportAnswers,
    "event confirm": confirmDraft,
    "event skip": skipDraft,
    "event stop": stopSeries,
    "event rsvp": answerInvite,
  },
  forms: { event: { who: "coordinators", submit: submitEventForm } },
  memberData: eventData,
  synonyms: { event: "events", rsvp: "events", gathering: "events" },
  downloads: [
    calendarFile,
    { path: /^\/downloads\/events\/(\d{1,9})\/answers\.csv$/, open: (ctx, match) => answersFile(ctx, Number(match[1])) },
  ],
  jobs: eventJobs,
  home: eventsHome,
};
