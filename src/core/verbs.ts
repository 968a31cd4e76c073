/** Every verb the bot knows, as `help` lists them. Coordinator-only verbs are refused kindly to others. */
export interface VerbInfo {
  verb: string;
  usage: string;
  summary: string;
  coordinatorOnly?: boolean;
}

export const verbCatalogue: readonly VerbInfo[] = [
  { verb: "join", usage: "join", summary: "Join the network, or edit your profile." },
  { verb: "update", usage: "update <what you did>", summary: "Share a piece of trauma-informed work. Tag principles with #safety, #choice…" },
  { verb: "me", usage: "me", summary: "Your profile and your latest updates." },
  { verb: "principles", usage: "principles", summary: "The network's principles and what they mean." },
  { verb: "link", usage: "link", summary: "Use the bot on both Slack and Teams as one member." },
  { verb: "help", usage: "help", summary: "This list." },
  {
    verb: "role",
    usage: "role @person coordinator|champion|member",
    summary: "Change someone's role in the network.",
    coordinatorOnly: true,
  },
];

export function findVerb(verb: string): VerbInfo | undefined {
  return verbCatalogue.find((entry) => entry.verb === verb);
}
