// Leaderboard weeks start on Monday 00:00 UTC (the database trigger uses date_trunc('week', …), the same).

export function weekStart(at: Date): Date {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday);
  return d;
}

/** "YYYY-MM-DD" of a UTC date. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
