// A value a message repeats back (a flag, a line of the answers file) is cut short: a 5 MB value must not
// become a 5-million-character error line.

const MAX = 40;

/** A value as messages show it inline: cut to `max` characters, its full length said. */
export function cut(value: string, max = MAX): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length.toLocaleString("en")} characters)`;
}

/** A value as messages quote it: JSON-quoted, and cut like `cut`. */
export function echo(value: string, max = MAX): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length.toLocaleString("en")} characters)`;
}
