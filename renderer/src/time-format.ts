/** How the renderer writes a moment ("Nov 30, 2026, 8:21 AM" in the person's locale). */
export const TIME_FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
