import { defineConfig } from "prisma/config";

// process.env, not prisma's env(): env() fails even `prisma generate` when DATABASE_URL is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
