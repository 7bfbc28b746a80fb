import { Marked } from 'marked';
const marked = new Marked({ gfm: true });
for (const src of ['[bấm](javascript:alert(document.cookie))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html,<script>alert(1)</script>)', '<javascript:alert(1)>', 'www.example.com', '[x](<javascript:alert(1)>)']) {
  const tokens = marked.lexer(src);
  const types = []; marked.walkTokens(tokens, t => types.push(t.type));
  console.log(JSON.stringify(src), types.join(','), marked.parser(tokens).trim());
}
