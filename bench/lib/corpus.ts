/**
 * Chat-like text for the search benchmarks: deterministic, with a Zipf-distributed vocabulary of
 * ~20,000 words (a few hundred common English words, then made-up ones), so that an index sees
 * what a real history gives it — a long tail of rare words, each message with its own few —
 * rather than lorem ipsum's sixty words.
 *
 * `makeCorpus` is self-contained (no imports, no closures over module scope): the 50,000-message
 * bench passes it to `page.evaluate`, which serialises the function into the page.
 */
export interface CorpusMessage {
  role: 'user' | 'assistant';
  content: string;
}

export function makeCorpus(count: number, seed = 1): CorpusMessage[] {
  let state = seed >>> 0;
  // mulberry32: small, fast, good enough for text.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const common =
    'the of and to a in is it you that he was for on are with as his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father head stand own page should country found answer school grow study still learn plant cover food sun four between state keep eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while press close night real life few north function error value array string type return async server client database query index request response cache token model prompt context memory thread worker'.split(
      ' ',
    );
  const syllables =
    'ka ri to mo lan ver sel tu pa dor quin bel fa ron ex ti ga lo mar sen vi da cor plu zen tra ho ne bri sa'.split(' ');
  const vocabulary = [...common];
  while (vocabulary.length < 20_000) {
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let index = 0; index < length; index++) word += syllables[Math.floor(random() * syllables.length)];
    vocabulary.push(word);
  }
  // Zipf (s = 1.05): cumulative weights, sampled by binary search.
  const cumulative = new Float64Array(vocabulary.length);
  let sum = 0;
  for (let rank = 0; rank < vocabulary.length; rank++) cumulative[rank] = sum += 1 / Math.pow(rank + 1, 1.05);
  const word = () => {
    const target = random() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low];
  };
  const sentence = () => {
    const length = 6 + Math.floor(random() * 14);
    const words: string[] = [];
    for (let index = 0; index < length; index++) words.push(word());
    const text = words.join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}${random() < 0.15 ? '?' : '.'}`;
  };
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(' ');

  const messages: CorpusMessage[] = [];
  for (let index = 0; index < count; index++) {
    if (index % 2 === 0) {
      messages.push({ role: 'user', content: paragraph(1 + Math.floor(random() * 2)) });
      continue;
    }
    const parts = [paragraph(1 + Math.floor(random() * 3))];
    if (random() < 0.5) parts.push(paragraph(1 + Math.floor(random() * 3)));
    if (random() < 0.2) parts.push(`\`\`\`ts\nconst ${word()} = ${word()}(${word()}, ${Math.floor(random() * 100)});\n\`\`\``);
    if (random() < 0.3) parts.push(`- ${sentence()}\n- ${sentence()}\n- ${sentence()}`);
    messages.push({ role: 'assistant', content: parts.join('\n\n') });
  }
  return messages;
}
