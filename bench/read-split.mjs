// Baseline for `dubstage tc` over stdin: what node takes just to read stdin and split it into lines.
let lines = 0;
let rest = '';
const decoder = new TextDecoder();
for await (const chunk of process.stdin) {
  const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
  rest = parts.pop();
  lines += parts.length;
}
if (rest) lines++;
process.stdout.write(`${lines}\n`);
