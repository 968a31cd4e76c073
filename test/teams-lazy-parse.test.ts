// parse.ts writes out botbuilder's conversation reference instead of importing botbuilder (which would
// load it at start): the references it stores must stay what botbuilder itself makes of an activity.
import { TurnContext, type Activity } from "botbuilder";
import { describe, expect, it } from "vitest";
import { addressOf, sharedConversationOf, teamsActivitySchema } from "../adapters/teams/parse.js";
import { teamsBotAdded, teamsBotAddedToTeam, teamsCardSubmit, teamsChannel, teamsChannelMessage, teamsMessage, teamsUser } from "./support/fake-connector.js";

const serviceUrl = "https://smba.trafficmanager.net/uk/";
const sam = teamsUser("Sam Jones");
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const botbuilders = (activity: object) => json(TurnContext.getConversationReference(activity as Partial<Activity>));

describe("the conversation reference parse.ts stores", () => {
  const { locale: _locale, ...withoutLocale } = teamsMessage(serviceUrl, sam, "me");
  const personal = {
    "a message": teamsMessage(serviceUrl, sam, "update Ran a workshop"),
    "a card submitted": teamsCardSubmit(serviceUrl, sam, { ti: { kind: "button", verb: "me" } }),
    "the bot added": teamsBotAdded(serviceUrl, sam),
    "a message with no locale": withoutLocale,
    "the Emulator's first conversationUpdate on Direct Line": { ...teamsBotAdded(serviceUrl, sam), channelId: "directline" },
    "a Web Chat conversationUpdate": { ...teamsBotAdded(serviceUrl, sam), channelId: "webchat" },
    "a Direct Line message": { ...teamsMessage(serviceUrl, sam, "me"), channelId: "directline" },
  };

  it.each(Object.entries(personal))("is botbuilder's for %s", (_case, activity) => {
    expect(addressOf(teamsActivitySchema.parse(activity)).conversationRef).toEqual(botbuilders(activity));
  });

  it("is botbuilder's in a channel, with the thread's message id taken off the conversation", () => {
    const channel = teamsChannel("Ward 7", "Champions");
    for (const activity of [teamsChannelMessage(serviceUrl, sam, channel, "update Ran a workshop"), teamsBotAddedToTeam(serviceUrl, sam, channel)]) {
      const expected = botbuilders(activity) as { conversation: object };
      expect(sharedConversationOf(teamsActivitySchema.parse(activity))?.conversationRef).toEqual({
        ...expected,
        conversation: { ...expected.conversation, id: channel.id },
      });
    }
  });
});
