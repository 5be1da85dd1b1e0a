import type { Metadata } from "next";
import { HostConsole } from "./host-console";

export const metadata: Metadata = { title: "Host console" };

/** /classroom/[code]/host: the teacher's controls (the host token stays in this browser). */
export default async function HostPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <HostConsole code={code.toUpperCase()} />;
}
