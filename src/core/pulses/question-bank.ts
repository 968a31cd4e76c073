import type { PrismaClient } from "../../db/generated/client.js";

export const frequencyScale = ["Never", "Rarely", "Sometimes", "Often", "Always"] as const;
export const agreementScale = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"] as const;

interface DefaultQuestion {
  text: string;
  scale: readonly string[];
}

/** Two or three questions for each principle of the UK working definition, matched to a network's own names by keyword. */
const defaultQuestions: readonly { keywords: readonly string[]; questions: readonly DefaultQuestion[] }[] = [
  {
    keywords: ["safety", "safe"],
    questions: [
      { text: "This week, how often did the people you support seem to feel safe with you and your service?", scale: frequencyScale },
      { text: "This week, how often did you feel safe to speak up at work?", scale: frequencyScale },
      { text: "Our spaces (rooms, waiting areas, online) feel calm and welcoming.", scale: agreementScale },
    ],
  },
  {
    keywords: ["trust"],
    questions: [
      { text: "This week, how often were decisions explained openly to the people they affect?", scale: frequencyScale },
      { text: "This week, how often did you do what you said you would, and say so when you couldn't?", scale: frequencyScale },
    ],
  },
  {
    keywords: ["choice", "clarity"],
    questions: [
      { text: "This week, how often did the people you support have a real say in decisions about them?", scale: frequencyScale },
      { text: "This week, how often were people told clearly what would happen next and what their options were?", scale: frequencyScale },
    ],
  },
  {
    keywords: ["collaboration", "collaborate"],
    questions: [
      { text: "This week, how often did you work alongside the people you support rather than doing things to them?", scale: frequencyScale },
      { text: "People with lived experience help shape how our service works.", scale: agreementScale },
    ],
  },
  {
    keywords: ["empower"],
    questions: [
      { text: "This week, how often did you notice and build on someone's strengths?", scale: frequencyScale },
      { text: "I have the power to change how I work when something isn't working for people.", scale: agreementScale },
    ],
  },
  {
    keywords: ["cultural", "culture", "inclusive", "inclusion", "identity"],
    questions: [
      { text: "This week, how often did you adapt what you did to someone's culture, identity or history?", scale: frequencyScale },
      { text: "Our service feels welcoming to people of every background.", scale: agreementScale },
    ],
  },
];

/** The default questions for a principle, by its name; a principle we have no words for gets two general ones. */
export function defaultQuestionsFor(principleName: string): readonly DefaultQuestion[] {
  const name = principleName.toLowerCase();
  const known = defaultQuestions.find((entry) => entry.keywords.some((keyword) => name.includes(keyword)));
  if (known) return known.questions;
  return [
    { text: `This week, how often did you see "${principleName}" in your work?`, scale: frequencyScale },
    { text: `"${principleName}" is part of how my team works every day.`, scale: agreementScale },
  ];
}

/**
 * Gives every principle of the network that has never had a question its default questions. Safe to run
 * on every start and from replicas starting together; a principle a coordinator has questions for is left alone.
 */
export async function seedPulseQuestions(prisma: PrismaClient, networkId: string): Promise<number> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243006)`;
    const principles = await tx.principle.findMany({
      where: { networkId, pulseQuestions: { none: {} } },
      orderBy: { position: "asc" },
      select: { id: true, name: true },
    });
    if (principles.length === 0) return 0;
    const last = await tx.pulseQuestion.aggregate({ where: { networkId }, _max: { position: true } });
    let position = last._max.position ?? 0;
    const data = principles.flatMap((principle) =>
      defaultQuestionsFor(principle.name).map((question) => ({
        networkId,
        principleId: principle.id,
        text: question.text,
        scaleLabels: [...question.scale],
        position: ++position,
      })),
    );
    await tx.pulseQuestion.createMany({ data });
    return data.length;
  });
}
