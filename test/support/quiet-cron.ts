/** A daily UTC cron and its time of day (ms after midnight UTC). */
export interface DailyCron {
  cron: string;
  msOfDay: number;
}

/**
 * A daily UTC cron about `hoursAhead` from now: the schedule is real, but no tick fires while a
 * test file runs (a tick would run a sync of its own between a test's action and its checks).
 * Crons that never fire are refused at boot, and a yearly one still fires at New Year.
 */
export function quietCron(hoursAhead = 12): DailyCron {
  const at = new Date(Date.now() + hoursAhead * 3_600_000);
  const [hour, minute] = [at.getUTCHours(), at.getUTCMinutes()];
  return { cron: `${minute} ${hour} * * *`, msOfDay: (hour * 60 + minute) * 60_000 };
}
