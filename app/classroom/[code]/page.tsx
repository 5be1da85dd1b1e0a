import type { Metadata } from "next";
import { StudentView } from "./student-view";

export const metadata: Metadata = { title: "Classroom" };

/** /classroom/[code]: a student joins with a nickname and plays the rounds on their phone. */
export default async function StudentPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <StudentView code={code.toUpperCase()} />;
}
