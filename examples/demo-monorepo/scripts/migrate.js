#!/usr/bin/env node
// Database migrations. The API keeps its data in memory today; this script
// holds the schema the Postgres store will get and applies it to the store
// named by DATABASE_URL. For memory:// (the default) it checks the schema and
// prints the statements, which is what CI's deploy step runs until Postgres
// lands. Exits non-zero on an unknown scheme.
'use strict';

const MIGRATIONS = [
  {
    id: '001_users',
    sql: `CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  active boolean NOT NULL DEFAULT true,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    id: '002_communities',
    sql: `CREATE TABLE IF NOT EXISTS communities (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  slug text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  visibility text NOT NULL CHECK (visibility IN ('public', 'private')),
  owner_id uuid NOT NULL REFERENCES users (id),
  archived boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    id: '003_memberships',
    sql: `CREATE TABLE IF NOT EXISTS memberships (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_id, user_id)
);`,
  },
  {
    id: '004_assessments',
    sql: `CREATE TABLE IF NOT EXISTS assessments (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
  passing_score integer NOT NULL CHECK (passing_score BETWEEN 0 AND 100),
  questions jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS submissions (
  id uuid PRIMARY KEY,
  assessment_id uuid NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  answers jsonb NOT NULL,
  score integer NOT NULL,
  max_score integer NOT NULL,
  passed boolean NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    id: '005_notifications',
    sql: `CREATE TABLE IF NOT EXISTS notifications (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL,
  message text NOT NULL,
  read boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
];

function main() {
  const url = process.env.DATABASE_URL || 'memory://demo';
  const scheme = url.split(':')[0];
  const ids = new Set();
  for (const migration of MIGRATIONS) {
    if (ids.has(migration.id)) throw new Error(`migration ${migration.id} is listed twice`);
    ids.add(migration.id);
  }
  if (scheme === 'memory') {
    console.log(`db:migrate: ${MIGRATIONS.length} migrations checked; the in-memory store (${url}) needs none applied:`);
    for (const migration of MIGRATIONS) console.log(`  ${migration.id}`);
    return 0;
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    // The Postgres client arrives with the Postgres store; print what it will run.
    console.log(`-- db:migrate: ${MIGRATIONS.length} migrations for ${url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@')}`);
    for (const migration of MIGRATIONS) console.log(`-- ${migration.id}\n${migration.sql}\n`);
    return 0;
  }
  console.error(`db:migrate: DATABASE_URL uses "${scheme}"; use postgres:// or memory://`);
  return 1;
}

process.exitCode = main();
