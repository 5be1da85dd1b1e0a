import type { Metadata } from "next";
import { ProjectorView } from "./projector-view";

export const metadata: Metadata = { title: "Projector" };

/** /classroom/[code]/projector: the big screen (a spectator: no token needed). */
export default async function ProjectorPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <ProjectorView code={code.toUpperCase()} variant="projector" />;
}
