import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS, REASONING_SHAPES, localServerSetup } from '../../src/shared/presets';
import { PRESET_IDS } from '../../src/shared/protocol';

/** The README's provider table, one row per preset: its cells, keyed by base URL. */
function readmeRows(): Map<string, string[]> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Providers'), readme.indexOf('## How it is built'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| preset') || line.startsWith('| ---')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set(cells[1].replace(/`/g, ''), cells);
  }
  return rows;
}

describe('provider presets', () => {
  it('cover every preset id, once, in the form’s order', () => {
    expect(PRESETS.map((preset) => preset.id)).toEqual([...PRESET_IDS]);
  });

  it('the README’s table says what the presets say (one definition: the presets)', () => {
    const rows = readmeRows();
    expect(rows.size).toBe(PRESETS.length);
    for (const preset of PRESETS) {
      const row = rows.get(preset.baseURL || 'any');
      expect(row, preset.id).toBeDefined();
      const [, , resume, , reasoning] = row!;
      expect(resume, preset.id).toBe(`\`${preset.capabilities.resume}\``);
      const shown = REASONING_SHAPES.filter((shape) => reasoning.includes(`\`${shape}\``));
      expect(shown, preset.id).toEqual(REASONING_SHAPES.filter((shape) => preset.capabilities.reasoning.includes(shape)));
      if (preset.local) expect(row![0], preset.id).toContain('(local)');
    }
  });

  it('the local presets tell how to let a page in, with the exact origin', () => {
    const origin = 'https://parley.example';
    expect(localServerSetup('ollama', '')?.allowOrigin(origin)).toContain(`OLLAMA_ORIGINS=${origin}`);
    expect(localServerSetup('llamacpp', '')?.allowOrigin(origin)).toContain(`--cors-origins ${origin}`);
    expect(localServerSetup('lmstudio', '')?.allowOrigin(origin)).toContain('Enable CORS');
    expect(localServerSetup('custom', 'http://127.0.0.1:5000/v1')?.allowOrigin(origin)).toContain(origin);
    expect(localServerSetup('custom', 'https://llm.example.com/v1')).toBeUndefined();
    expect(localServerSetup('openai', 'https://api.openai.com/v1')).toBeUndefined();
  });
});
