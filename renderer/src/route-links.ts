// Hash routes and the links to them; no DOM here (the unit tests compile this module too).

/** A hash route taken apart: `#/history?plan=docs` → path `/history`, segments `['history']`, query `plan=docs`. */
export interface Route {
  path: string;
  segments: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '') || '/';
  const mark = text.indexOf('?');
  const path = (mark === -1 ? text : text.slice(0, mark)) || '/';
  const query = new URLSearchParams(mark === -1 ? '' : text.slice(mark + 1));
  return { path, segments: path.split('/').filter(Boolean).map(decodeURIComponent), query };
}

/** `#/history?plan=docs` for links. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  let text = '';
  for (const [key, value] of Object.entries(query)) if (value !== undefined) text += `${text ? '&' : '?'}${queryPart(key)}=${queryPart(value)}`;
  return `#${path}${text}`;
}

/**
 * A query's name or value written as URLSearchParams writes it (a space as "+", and !'()~ escaped
 * too), which parseRoute reads back. Without making a URLSearchParams per link: the dashboard has
 * hundreds of links, and each one costs more than the string.
 */
function queryPart(text: string): string {
  try {
    return encodeURIComponent(text)
      .replace(/%20/g, '+')
      .replace(/[!'()~]/g, (mark) => `%${mark.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return new URLSearchParams({ '': text }).toString().slice(1); // a lone surrogate: written as U+FFFD
  }
}
