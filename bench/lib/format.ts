/** Number formats for the report. kB = 1,000 bytes, as Vite prints them. */

export const ms = (value: number, digits = 0) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a');
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const times = (value: number, digits = 1) => `${value.toFixed(digits)}×`;
export const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** A markdown table. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
