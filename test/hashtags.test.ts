import { describe, expect, it } from "vitest";
import { tagPrinciples } from "../src/core/updates/hashtags.js";
import { defaultPrinciples } from "../src/core/network.js";

const principles = defaultPrinciples.map((principle, index) => ({ id: `p${index}`, name: principle.name }));
const somerset = ["Inclusive", "Safety", "Choice & Clarity", "Empower", "Collaboration", "Trust"].map((name, index) => ({ id: `s${index}`, name }));
const names = (found: { name: string }[]) => found.map((principle) => principle.name);

describe("hashtags tag principles by name", () => {
  it("matches case-insensitively and once per principle", () => {
    const tagged = tagPrinciples("Ran a session #SAFETY and #choice, then #Safety again", principles);
    expect(names(tagged.principles)).toEqual(["Safety", "Choice"]);
    expect(tagged.unknown).toEqual([]);
  });

  it("matches a two-word principle written several ways", () => {
    for (const tag of ["#cultural-consideration", "#CulturalConsideration", "#cultural_consideration", "#cultural"]) {
      expect(names(tagPrinciples(`Work ${tag}`, principles).principles)).toEqual(["Cultural consideration"]);
    }
  });

  it("matches a unique start of a name and a network's own principles", () => {
    expect(names(tagPrinciples("#empower", principles).principles)).toEqual(["Empowerment"]);
    expect(names(tagPrinciples("#choice #inclusive", somerset).principles)).toEqual(["Choice & Clarity", "Inclusive"]);
  });

  it("keeps unknown tags as text and reports them", () => {
    const tagged = tagPrinciples("A day #housing #saf #trust", principles);
    expect(names(tagged.principles)).toEqual(["Trust"]);
    expect(tagged.unknown).toEqual(["#housing", "#saf"]);
  });

  it("ignores things that only look like tags", () => {
    expect(tagPrinciples("Room C#safety and issue #12", principles).principles).toEqual([]);
  });
});
