import type { Metadata } from "next";
import { NewCompetitionForm } from "./new-form";

export const metadata: Metadata = { title: "New classroom competition" };

/** /classroom/new: a teacher plans a competition (name, rounds, rankings) and opens it. */
export default function NewCompetitionPage() {
  return <NewCompetitionForm />;
}
