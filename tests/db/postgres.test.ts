/** The data-layer contract on a PostgreSQL server, in a schema of its own. */
import { describe, expect, it } from "vitest";
import { createDatabase } from "../../server/db";
import { dataLayerContract } from "./contract";
import {
  dropSchema,
  postgresProblem,
  REQUIRE_POSTGRES,
  scratchSchema,
  TEST_DATABASE_URL,
} from "./postgres-target";

const problem = await postgresProblem();

if (problem === null) {
  dataLayerContract("PostgreSQL", async () => {
    const { schema, url } = scratchSchema("contract");
    const db = await createDatabase({ kind: "postgres", url });
    return {
      db,
      dispose: async () => {
        await db.close();
        await dropSchema(schema);
      },
    };
  });
} else if (REQUIRE_POSTGRES) {
  describe("data layer contract: PostgreSQL", () => {
    it(`needs the server at ${TEST_DATABASE_URL} (CI=true: failing, not skipping)`, () => {
      expect.fail(`PostgreSQL is unreachable at ${TEST_DATABASE_URL}: ${problem}`);
    });
  });
} else {
  console.warn(
    `Skipping the PostgreSQL contract: ${TEST_DATABASE_URL} is unreachable (${problem}).`,
  );
  describe.skip(`data layer contract: PostgreSQL (unreachable: ${problem})`, () => {
    it("needs a PostgreSQL server", () => {});
  });
}
