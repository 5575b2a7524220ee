/**
 * systemd calendar expressions (resticprofile's `schedule`) as cron. The common shapes map;
 * anything else is `undefined` and the caller says so in the report.
 */
const SHORTHANDS: Record<string, string> = {
  minutely: '* * * * *',
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 1',
  monthly: '0 0 1 * *',
  quarterly: '0 0 1 1,4,7,10 *',
  semiannually: '0 0 1 1,7 *',
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
};

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function calendarToCron(expression: string): string | undefined {
  const text = expression.trim().toLowerCase();
  const shorthand = SHORTHANDS[text];
  if (shorthand) return shorthand;
  const parts = text.split(/\s+/);
  let weekdays = '*';
  if (parts[0] && /^[a-z]/.test(parts[0])) {
    const days = weekdayField(parts.shift()!);
    if (days === undefined) return undefined;
    weekdays = days;
  }
  let month = '*';
  let day = '*';
  if (parts[0]?.includes('-')) {
    const date = /^(\*|\d{4})-([\d*,/.]+)-([\d*,/.]+)$/.exec(parts.shift()!);
    if (date?.[1] !== '*') return undefined;
    const monthField = numberField(date[2]!, 1, 12);
    const dayField = numberField(date[3]!, 1, 31);
    if (monthField === undefined || dayField === undefined) return undefined;
    [month, day] = [monthField, dayField];
  }
  // systemd needs both the weekday and the date ("Sat *-*-1..7": the first Saturday); cron fires on either.
  if (weekdays !== '*' && day !== '*') return undefined;
  const time = parts.shift() ?? '00:00:00';
  if (parts.length > 0) return undefined; // a time zone or more: not a shape this reads
  const clock = /^([\d*,/.]+):([\d*,/.]+)(?::([\d*,/.]+))?$/.exec(time);
  if (!clock) return undefined;
  if (clock[3] !== undefined && !/^0?0$/.test(clock[3])) return undefined; // seconds other than :00
  const hour = numberField(clock[1]!, 0, 23);
  const minute = numberField(clock[2]!, 0, 59);
  if (hour === undefined || minute === undefined) return undefined;
  return `${minute} ${hour} ${day} ${month} ${weekdays}`;
}

/** `*`, `5`, `00,30`, `0/15`, `1..5` in systemd's syntax, as a cron field. */
function numberField(field: string, min: number, max: number): string | undefined {
  if (field === '*') return '*';
  const items = field.split(',').map((item) => {
    const step = /^(\d+|\*)\/(\d+)$/.exec(item);
    if (step) return step[1] === '*' || Number(step[1]) === min ? `*/${Number(step[2])}` : `${Number(step[1])}-${max}/${Number(step[2])}`;
    const range = /^(\d+)\.\.(\d+)$/.exec(item);
    if (range) return `${Number(range[1])}-${Number(range[2])}`;
    return /^\d+$/.test(item) ? String(Number(item)) : undefined;
  });
  if (items.some((item) => item === undefined)) return undefined;
  const numbers = items.flatMap((item) => (item ?? '').match(/\d+/g) ?? []).map(Number);
  if (numbers.some((n) => n > max || (n < min && !items.some((i) => i?.includes('/'))))) return undefined;
  return items.join(',');
}

/** `Mon`, `Mon..Fri`, `Sat,Sun` as a cron day-of-week field. */
function weekdayField(field: string): string | undefined {
  const items = field.split(',').map((item) => {
    const [from, to] = item.split('..').map((day) => DAYS.indexOf(day.slice(0, 3)));
    if (from === undefined || from < 0 || (to !== undefined && (to < 0 || to < from))) return undefined; // "Fri..Mon" wraps: no cron range does
    return to === undefined ? String(from) : `${from}-${to}`;
  });
  return items.some((item) => item === undefined) ? undefined : items.join(',');
}

/** A calendar shorthand as an interval, for checks (`every`). */
export function calendarToEvery(expression: string): string | undefined {
  return { hourly: '1h', daily: '1d', weekly: '7d', monthly: '30d', quarterly: '91d', semiannually: '182d', yearly: '365d', annually: '365d' }[
    expression.trim().toLowerCase()
  ];
}
