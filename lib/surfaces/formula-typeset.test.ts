import { describe, expect, it } from "vitest";
import { typesetFormula } from "./formula-typeset";

describe("typesetFormula (docs/SPEC.md F8)", () => {
  it("F8 powers become superscripts, * a dot, - a minus sign", () => {
    expect(typesetFormula("(1 - w)^2 + 100 (b - w^2)^2")).toEqual([
      { kind: "text", text: "(1 − w)" },
      { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
      { kind: "text", text: " + 100 (b − w" },
      { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
      { kind: "text", text: ")" },
      { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
    ]);
    expect(typesetFormula("exp(-(w^2 + b^2)/2)*pi")).toEqual([
      { kind: "text", text: "exp(−(w" },
      { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
      { kind: "text", text: " + b" },
      { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
      { kind: "text", text: ")/2)·π" },
    ]);
  });

  it("F8 exponents in parentheses, negative and nested", () => {
    expect(typesetFormula("e^(-w^2) + w^-1 + b ^ 0.5")).toEqual([
      { kind: "text", text: "e" },
      {
        kind: "sup",
        pieces: [
          { kind: "text", text: "−w" },
          { kind: "sup", pieces: [{ kind: "text", text: "2" }] },
        ],
      },
      { kind: "text", text: " + w" },
      { kind: "sup", pieces: [{ kind: "text", text: "−1" }] },
      { kind: "text", text: " + b" },
      { kind: "sup", pieces: [{ kind: "text", text: "0.5" }] },
    ]);
  });
});
