-- CreateEnum
CREATE TYPE "SecretKind" AS ENUM ('PIN', 'PICTURE');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "isStudent" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Classroom" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,
    "joinCode" TEXT NOT NULL,
    "archivedAt" TIMESTAMP(3),
    "points" INTEGER NOT NULL DEFAULT 0,
    "activeStudents" INTEGER NOT NULL DEFAULT 0,
    "average" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Classroom_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClassMember" (
    "id" TEXT NOT NULL,
    "classroomId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "nickname" TEXT NOT NULL,
    "nicknameKey" TEXT NOT NULL,
    "secretKind" "SecretKind" NOT NULL,
    "secretHash" TEXT NOT NULL,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "points" INTEGER NOT NULL DEFAULT 0,
    "cubes" INTEGER NOT NULL DEFAULT 0,
    "lastPlayedAt" TIMESTAMP(3),
    "activeWeek" DATE,
    "weekPoints" INTEGER NOT NULL DEFAULT 0,
    "weekCubes" INTEGER NOT NULL DEFAULT 0,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WeeklyScore" (
    "weekStart" DATE NOT NULL,
    "userId" TEXT NOT NULL,
    "isStudent" BOOLEAN NOT NULL DEFAULT false,
    "points" INTEGER NOT NULL DEFAULT 0,
    "cubes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WeeklyScore_pkey" PRIMARY KEY ("weekStart","userId")
);

-- CreateTable
CREATE TABLE "ClassWeeklyScore" (
    "weekStart" DATE NOT NULL,
    "classroomId" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "activeStudents" INTEGER NOT NULL DEFAULT 0,
    "average" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "ClassWeeklyScore_pkey" PRIMARY KEY ("weekStart","classroomId")
);

-- CreateTable
CREATE TABLE "Competition" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "inviteCode" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "finalizedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Competition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompetitionClass" (
    "competitionId" TEXT NOT NULL,
    "classroomId" TEXT NOT NULL,
    "points" INTEGER,
    "activeStudents" INTEGER,
    "enteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CompetitionClass_pkey" PRIMARY KEY ("competitionId","classroomId")
);

-- CreateTable
CREATE TABLE "OAuthAccount" (
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthAccount_pkey" PRIMARY KEY ("provider","providerAccountId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Classroom_joinCode_key" ON "Classroom"("joinCode");

-- CreateIndex
CREATE INDEX "Classroom_teacherId_idx" ON "Classroom"("teacherId");

-- CreateIndex
CREATE INDEX "Classroom_average_idx" ON "Classroom"("average" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ClassMember_userId_key" ON "ClassMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ClassMember_classroomId_nicknameKey_key" ON "ClassMember"("classroomId", "nicknameKey");

-- CreateIndex
CREATE INDEX "WeeklyScore_weekStart_isStudent_points_idx" ON "WeeklyScore"("weekStart", "isStudent", "points" DESC);

-- CreateIndex
CREATE INDEX "WeeklyScore_userId_idx" ON "WeeklyScore"("userId");

-- CreateIndex
CREATE INDEX "ClassWeeklyScore_weekStart_average_idx" ON "ClassWeeklyScore"("weekStart", "average" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Competition_inviteCode_key" ON "Competition"("inviteCode");

-- CreateIndex
CREATE INDEX "Competition_endsAt_idx" ON "Competition"("endsAt");

-- CreateIndex
CREATE INDEX "CompetitionClass_classroomId_idx" ON "CompetitionClass"("classroomId");

-- CreateIndex
CREATE INDEX "OAuthAccount_userId_idx" ON "OAuthAccount"("userId");

-- CreateIndex
CREATE INDEX "User_isStudent_points_idx" ON "User"("isStudent", "points" DESC);

-- AddForeignKey
ALTER TABLE "Classroom" ADD CONSTRAINT "Classroom_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassMember" ADD CONSTRAINT "ClassMember_classroomId_fkey" FOREIGN KEY ("classroomId") REFERENCES "Classroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassMember" ADD CONSTRAINT "ClassMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyScore" ADD CONSTRAINT "WeeklyScore_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassWeeklyScore" ADD CONSTRAINT "ClassWeeklyScore_classroomId_fkey" FOREIGN KEY ("classroomId") REFERENCES "Classroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Competition" ADD CONSTRAINT "Competition_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompetitionClass" ADD CONSTRAINT "CompetitionClass_competitionId_fkey" FOREIGN KEY ("competitionId") REFERENCES "Competition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompetitionClass" ADD CONSTRAINT "CompetitionClass_classroomId_fkey" FOREIGN KEY ("classroomId") REFERENCES "Classroom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OAuthAccount" ADD CONSTRAINT "OAuthAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Leaderboard aggregates, kept by the database itself whenever a trace is stored, re-scored or deleted, so
-- that every way of scoring a cube counts and leaderboards read one index whatever the number of players.
-- Weeks start on Monday (UTC). Prisma does not model triggers, so later schema diffs leave them alone.
CREATE OR REPLACE FUNCTION "axonaut_trace_scores"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_points integer;
  d_cubes integer;
  uid text;
  wk date;
  at_time timestamp(3);
  cls text;
  m_cubes integer;
  m_week date;
  d_active integer := 0;
  d_week_active integer := 0;
BEGIN
  IF TG_OP = 'INSERT' THEN
    d_points := NEW."points"; d_cubes := 1; uid := NEW."userId"; at_time := NEW."createdAt";
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW."points" = OLD."points" THEN RETURN NULL; END IF;
    d_points := NEW."points" - OLD."points"; d_cubes := 0; uid := NEW."userId"; at_time := NEW."createdAt";
  ELSE
    d_points := -OLD."points"; d_cubes := -1; uid := OLD."userId"; at_time := OLD."createdAt";
  END IF;
  wk := date_trunc('week', at_time)::date;

  -- Students: the member row first, then the class (the order every writer uses, so no deadlock).
  SELECT "classroomId", "cubes", "activeWeek" INTO cls, m_cubes, m_week FROM "ClassMember" WHERE "userId" = uid FOR UPDATE;

  IF TG_OP = 'INSERT' THEN
    INSERT INTO "WeeklyScore" AS w ("weekStart", "userId", "isStudent", "points", "cubes") VALUES (wk, uid, cls IS NOT NULL, d_points, 1)
    ON CONFLICT ("weekStart", "userId") DO UPDATE SET "points" = w."points" + EXCLUDED."points", "cubes" = w."cubes" + 1,
      "isStudent" = w."isStudent" OR EXCLUDED."isStudent";
  ELSE
    UPDATE "WeeklyScore" SET "points" = "points" + d_points, "cubes" = "cubes" + d_cubes WHERE "weekStart" = wk AND "userId" = uid;
  END IF;
  IF cls IS NULL THEN RETURN NULL; END IF;
  IF d_cubes > 0 THEN
    IF m_cubes = 0 THEN d_active := 1; END IF;
    IF m_week IS DISTINCT FROM wk THEN d_week_active := 1; END IF;
    UPDATE "ClassMember" SET
      "points" = "points" + d_points, "cubes" = "cubes" + 1, "lastPlayedAt" = at_time, "activeWeek" = wk,
      "weekPoints" = CASE WHEN m_week IS DISTINCT FROM wk THEN d_points ELSE "weekPoints" + d_points END,
      "weekCubes" = CASE WHEN m_week IS DISTINCT FROM wk THEN 1 ELSE "weekCubes" + 1 END
    WHERE "userId" = uid;
  ELSE
    IF d_cubes < 0 AND m_cubes = 1 THEN d_active := -1; END IF;
    IF m_week = wk AND d_cubes < 0 AND (SELECT "weekCubes" FROM "ClassMember" WHERE "userId" = uid) = 1 THEN d_week_active := -1; END IF;
    UPDATE "ClassMember" SET
      "points" = "points" + d_points, "cubes" = GREATEST("cubes" + d_cubes, 0),
      "weekPoints" = CASE WHEN m_week = wk THEN "weekPoints" + d_points ELSE "weekPoints" END,
      "weekCubes" = CASE WHEN m_week = wk THEN GREATEST("weekCubes" + d_cubes, 0) ELSE "weekCubes" END
    WHERE "userId" = uid;
  END IF;

  UPDATE "Classroom" SET
    "points" = "points" + d_points,
    "activeStudents" = "activeStudents" + d_active,
    "average" = ("points" + d_points)::double precision / GREATEST("activeStudents" + d_active, 1)
  WHERE "id" = cls;

  IF d_cubes > 0 THEN
    INSERT INTO "ClassWeeklyScore" AS cw ("weekStart", "classroomId", "points", "activeStudents", "average")
    VALUES (wk, cls, d_points, d_week_active, d_points::double precision / GREATEST(d_week_active, 1))
    ON CONFLICT ("weekStart", "classroomId") DO UPDATE SET
      "points" = cw."points" + d_points,
      "activeStudents" = cw."activeStudents" + d_week_active,
      "average" = (cw."points" + d_points)::double precision / GREATEST(cw."activeStudents" + d_week_active, 1);
  ELSE
    UPDATE "ClassWeeklyScore" SET
      "points" = "points" + d_points,
      "activeStudents" = "activeStudents" + d_week_active,
      "average" = ("points" + d_points)::double precision / GREATEST("activeStudents" + d_week_active, 1)
    WHERE "weekStart" = wk AND "classroomId" = cls;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Trace_scores" AFTER INSERT OR UPDATE OF "points" OR DELETE ON "Trace"
FOR EACH ROW EXECUTE FUNCTION "axonaut_trace_scores"();
