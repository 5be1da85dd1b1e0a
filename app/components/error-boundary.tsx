"use client";

import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

/**
 * A React error boundary for one part of a page (e.g. the reveal's map): if its children throw,
 * it shows `fallback(message)` in their place instead of unmounting the whole page, so the rest
 * (the ranking, the next-round button) keeps working.
 */
export class ErrorBoundary extends Component<
  { children: ReactNode; fallback: (message: string, retry: () => void) => ReactNode },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(error, info.componentStack);
  }

  private readonly retry = () => this.setState({ error: null });

  override render(): ReactNode {
    const { error } = this.state;
    if (error) return this.props.fallback(error.message || "Unknown error", this.retry);
    return this.props.children;
  }
}
