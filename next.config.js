// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The game server (server/) hosts Next.js; lib/ is plain TypeScript shared with it.
  typedRoutes: false,
};

export default nextConfig;
