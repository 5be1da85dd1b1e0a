import type { Metadata } from "next";
import { ProjectorView } from "../projector/projector-view";

export const metadata: Metadata = { title: "Results" };

/** /classroom/[code]/results: the standings and the final podium. */
export default async function ResultsPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ProjectorView code={code.toUpperCase()} variant="results" />;
}
