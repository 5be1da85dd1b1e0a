import type { Metadata } from "next";
import { JoinByCode } from "./join-by-code";

export const metadata: Metadata = { title: "Classroom" };

/** /classroom: students type the code on the board; teachers start a competition. */
export default function ClassroomPage() {
  return <JoinByCode />;
}
