/**
 * The fields of one CSV line (RFC 4180 quoting: a field in double quotes may hold commas, and `""` is one
 * quote). Undefined when the quoting is broken. A quoted field cannot span lines here: no field we read
 * (an endpoint, an api name) may hold a line break.
 */
export function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] !== '"') {
      const end = nextComma(line, i);
      const field = line.slice(i, end);
      if (field.includes('"')) return undefined;
      fields.push(field);
      i = end + 1;
      continue;
    }
    const read = readQuoted(line, i + 1);
    if (!read) return undefined;
    fields.push(read.value);
    i = read.end + 1;
  }
  return fields;
}

function nextComma(line: string, from: number): number {
  const comma = line.indexOf(',', from);
  return comma < 0 ? line.length : comma;
}

/** A quoted field's value from just after its opening quote; `end` is the index of the comma (or line end) after it. */
function readQuoted(line: string, from: number): { value: string; end: number } | undefined {
  let value = '';
  let i = from;
  for (;;) {
    const quote = line.indexOf('"', i);
    if (quote < 0) return undefined;
    value += line.slice(i, quote);
    if (line[quote + 1] === '"') {
      value += '"';
      i = quote + 2;
      continue;
    }
    const end = quote + 1;
    if (end !== line.length && line[end] !== ',') return undefined;
    return { value, end };
  }
}

/** A field for a CSV line: in double quotes (inner quotes doubled) when it holds a comma or a quote. */
export function csvField(value: string): string {
  if (!value.includes(',') && !value.includes('"')) return value;
  return `"${value.replaceAll('"', '""')}"`;
}
