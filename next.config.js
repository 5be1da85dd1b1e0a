// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // NEXT_DIST_DIR lets two checkouts of work (or two test runs) build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The game server (server/) hosts Next.js; lib/ is plain TypeScript shared with it.
  typedRoutes: false,
};

export default nextConfig;
