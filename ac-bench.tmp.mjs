import AC from 'modern-ahocorasick';
import ACF from 'modern-ahocorasick/fast';
import ACU from 'modern-ahocorasick/unicode';
import ACUF from 'modern-ahocorasick/unicode-fast';
const words = ['ghp_','glpat-','sk-','akia','token','secret','password','apikey','bearer','xoxb-','pypi-','hf_','npm_','shpat_','aiza', ...Array.from({length:300},(_, i)=>'kw'+i.toString(36)+'zz')];
let text = '';
while (text.length < 4e6) text += 'The quick brown fox jumps over the lazy dog, nodes config description value {{context.env.X}} 12345 ';
text = text.toLowerCase();
for (const [name, C] of [['default',AC],['fast',ACF],['unicode',ACU],['unicode-fast',ACUF]]) {
  const m = new C(words);
  let t = performance.now();
  const n = m.count(text);
  const ms = performance.now()-t;
  console.log(name, n, (text.length/1e6/(ms/1000)).toFixed(1),'MB/s');
}
const re = new RegExp(words.join('|'),'g');
let t = performance.now(); let c=0; while(re.exec(text)) c++; console.log('regex', c, (text.length/1e6/((performance.now()-t)/1000)).toFixed(1));
