import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("needs nothing to start: embedded database, port 3978", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe("./data");
    expect(config.TI_TIME_ZONE).toBe("Europe/London");
    expect(config.TI_COORDINATORS).toEqual([]);
  });

  it("splits each coordinator at its first colon only (Teams ids have colons)", () => {
    const config = loadConfig({ TI_COORDINATORS: "slack:U0123, teams:29:1AbC-xyz:extra ," });
    expect(config.TI_COORDINATORS).toEqual([
      { platform: "slack", userId: "U0123" },
      { platform: "teams", userId: "29:1AbC-xyz:extra" },
    ]);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ DATABASE_URL: "mysql://localhost/x" }, "DATABASE_URL"],
    [{ TI_COORDINATORS: "discord:123" }, "TI_COORDINATORS"],
    [{ TI_TIME_ZONE: "Mars/Olympus" }, "TI_TIME_ZONE"],
    [{ SLACK_BOT_TOKEN: "xoxp-user-token" }, "SLACK_BOT_TOKEN"],
    [{ MICROSOFT_APP_TYPE: "Anything" }, "MICROSOFT_APP_TYPE"],
    [{ TI_SENDING_HOURS: "weekdays, nine to five" }, "TI_SENDING_HOURS"],
    [{ TI_PULSE_SCHEDULE: "Tuesdays at ten" }, "TI_PULSE_SCHEDULE"],
    [{ TI_MIN_GROUP: "2" }, "TI_MIN_GROUP"],
    [{ TI_REPORT_NUDGE_CAP: "4" }, "TI_REPORT_NUDGE_CAP"],
  ])("refuses %j, naming the variable", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  describe("a Teams bot as Azure makes them today", () => {
    const bot = { MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001", MICROSOFT_APP_PASSWORD: "secret" };
    const tenant = "11111111-1111-1111-1111-111111111111";

    it("is single-tenant when a tenant id is given, and multi-tenant (an older bot) when not", () => {
      expect(loadConfig({ ...bot, MICROSOFT_APP_TENANT_ID: tenant }).MICROSOFT_APP_TYPE).toBe("SingleTenant");
      expect(loadConfig(bot).MICROSOFT_APP_TYPE).toBe("MultiTenant");
      expect(loadConfig({ ...bot, MICROSOFT_APP_TENANT_ID: tenant, MICROSOFT_APP_TYPE: "MultiTenant" }).MICROSOFT_APP_TYPE).toBe("MultiTenant");
      expect(loadConfig({}).MICROSOFT_APP_TYPE).toBe("MultiTenant");
      expect(loadConfig({ ...bot, MICROSOFT_APP_TENANT_ID: tenant, MICROSOFT_APP_TYPE: "" }).MICROSOFT_APP_TYPE).toBe("SingleTenant");
    });

    it.each([
      [{ ...bot, MICROSOFT_APP_TYPE: "SingleTenant" }, /MICROSOFT_APP_TENANT_ID: is needed when MICROSOFT_APP_TYPE is SingleTenant/],
      [{ MICROSOFT_APP_ID: bot.MICROSOFT_APP_ID, MICROSOFT_APP_TYPE: "UserAssignedMSI" }, /MICROSOFT_APP_TENANT_ID: is needed when MICROSOFT_APP_TYPE is UserAssignedMSI/],
      [{ ...bot, MICROSOFT_APP_TENANT_ID: tenant, MICROSOFT_APP_TYPE: "UserAssignedMSI" }, /MICROSOFT_APP_PASSWORD: must be unset for a UserAssignedMSI bot/],
      [{ MICROSOFT_APP_ID: bot.MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID: tenant }, /MICROSOFT_APP_PASSWORD: is needed with MICROSOFT_APP_ID for a SingleTenant bot/],
    ])("refuses %j, naming both variables", (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });

    it("takes a user-assigned managed identity: its client id and tenant, no secret", () => {
      expect(loadConfig({ MICROSOFT_APP_ID: bot.MICROSOFT_APP_ID, MICROSOFT_APP_TENANT_ID: tenant, MICROSOFT_APP_TYPE: "UserAssignedMSI" }).MICROSOFT_APP_TYPE).toBe("UserAssignedMSI");
    });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", SLACK_BOT_TOKEN: " " }).DATABASE_URL).toBeUndefined();
  });
});
