import { describe, expect, it } from "vitest";
import { addressOf, botAddedToPersonalChat, interactionOf, teamsActivitySchema } from "../adapters/teams/parse.js";
import { teamsBotAdded, teamsCardSubmit, teamsMessage, teamsUser, testBot } from "./support/fake-connector.js";

const serviceUrl = "https://smba.trafficmanager.net/uk/";
const sam = teamsUser("Sam Jones");

const parse = (activity: unknown) => teamsActivitySchema.parse(activity);

describe("Teams activities into interactions", () => {
  it("reads a typed command with its address and request id", () => {
    const activity = teamsMessage(serviceUrl, sam, "update Ran a workshop #choice");
    expect(interactionOf(parse(activity))).toEqual({
      from: {
        platform: "teams",
        workspaceId: sam.tenantId,
        userId: sam.id,
        displayName: "Sam Jones",
        conversationRef: {
          activityId: activity.id,
          user: activity.from,
          bot: activity.recipient,
          conversation: activity.conversation,
          channelId: "msteams",
          locale: "en-GB",
          serviceUrl,
        },
      },
      verb: "update",
      text: "Ran a workshop #choice",
      requestId: activity.id,
    });
  });

  it("accepts `ti update` and `/ti update` the same way", () => {
    for (const typed of ["ti update Ran a workshop", "/ti update Ran a workshop", "  UPDATE Ran a workshop "]) {
      expect(interactionOf(parse(teamsMessage(serviceUrl, sam, typed)))).toMatchObject({ verb: "update", text: "Ran a workshop" });
    }
  });

  it("strips the bot's mention and turns other people's into @Name", () => {
    const alex = teamsUser("Alex Smith");
    const activity = {
      ...teamsMessage(serviceUrl, sam, `<at>${testBot.name}</at>&nbsp;update Co-facilitated with <at>Alex Smith</at> #collaboration`),
      conversation: { conversationType: "channel", tenantId: sam.tenantId, id: "19:abc@thread.tacv2;messageid=1" },
      entities: [
        { type: "mention", text: `<at>${testBot.name}</at>`, mentioned: testBot },
        { type: "mention", text: "<at>Alex Smith</at>", mentioned: { id: alex.id, name: "Alex Smith" } },
      ],
    };
    const interaction = interactionOf(parse(activity));
    expect(interaction).toMatchObject({ verb: "update", text: "Co-facilitated with @Alex Smith #collaboration" });
    expect(interaction?.mentions).toEqual([{ platform: "teams", workspaceId: sam.tenantId, userId: alex.id, displayName: "Alex Smith" }]);
  });

  it("falls back to channelData's tenant, then to `local` for the Playground and Emulator", () => {
    const { tenantId: _tenant, ...conversation } = teamsMessage(serviceUrl, sam, "me").conversation;
    const withChannelTenant = { ...teamsMessage(serviceUrl, sam, "me"), conversation };
    expect(addressOf(parse(withChannelTenant)).workspaceId).toBe(sam.tenantId);
    const { channelData: _channelData, ...emulator } = withChannelTenant;
    expect(addressOf(parse({ ...emulator, channelId: "emulator" })).workspaceId).toBe("local");
  });

  it("reads a pressed button", () => {
    const activity = teamsCardSubmit(serviceUrl, sam, { ti: { kind: "button", verb: "update", text: "" } });
    expect(interactionOf(parse(activity))).toMatchObject({ verb: "update", text: "", requestId: activity.id });
  });

  it("ignores empty messages and cards this bot did not send", () => {
    expect(interactionOf(parse(teamsMessage(serviceUrl, sam, "  ")))).toBeUndefined();
    expect(interactionOf(parse(teamsCardSubmit(serviceUrl, sam, { action: "approve" })))).toBeUndefined();
  });

  it("knows when the bot itself was added to a personal chat", () => {
    expect(botAddedToPersonalChat(parse(teamsBotAdded(serviceUrl, sam)))).toBe(true);
    const someoneElse = { ...teamsBotAdded(serviceUrl, sam), membersAdded: [{ id: sam.id }] };
    expect(botAddedToPersonalChat(parse(someoneElse))).toBe(false);
    const toATeam = { ...teamsBotAdded(serviceUrl, sam), conversation: { id: "19:x@thread.tacv2", conversationType: "channel" } };
    expect(botAddedToPersonalChat(parse(toATeam))).toBe(false);
  });
});
