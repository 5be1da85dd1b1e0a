import type { Metadata } from "next";
import { joinAddress } from "../../join-address";
import { ProjectorView } from "../projector/projector-view";

export const metadata: Metadata = { title: "Results" };

/** /classroom/[code]/results: the standings and the final podium. */
export default async function ResultsPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const join = await joinAddress();
  return <ProjectorView code={code.toUpperCase()} join={join} variant="results" />;
}
