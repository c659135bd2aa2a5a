// `npm run user:role -- <username> <ROLE>`: gives an account a role (the first admin is made this way).
// Roles: PLAYER, TEACHER, RESEARCHER, REVIEWER, EXPERT, ADMIN.
import { openDatabase } from "@/server/db/migrated";
import { ROLES, setRole } from "@/server/services/admin";
import type { Role } from "@/server/db/generated/enums";

const [username, role] = process.argv.slice(2);
if (!username || !role || !ROLES.includes(role as Role)) {
  console.error(`usage: npm run user:role -- <username> <${ROLES.join("|")}>`);
  process.exit(2);
}
const handle = await openDatabase();
try {
  const done = await setRole(handle.db, null, { username, role: role as Role });
  console.log(`${done.username} is now ${done.role}`);
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
