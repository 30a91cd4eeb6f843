/**
 * Exploring Python beyond single calls: methods called in sequence on one
 * instance (an earlier result passed on where the type hints allow), and
 * the module's doctests used as calls and as tests. On a small module
 * written for the purpose and on standard library code copied into a
 * temporary project; every file written must pass under pytest run by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePythonTests } from './index.js';
import { pickPython } from './interpreter.js';
import { makeProject, request, runPytest } from './test-support.js';

const PYTHON = await pickPython('pytest', new AbortController().signal, process.cwd());

function stdlibSource(name: string): string {
  const dir = execFileSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  return readFileSync(path.join(dir, `${name}.py`), 'utf8');
}

/** Write the generated file where it belongs and run pytest on it as a person would. */
async function passes(root: string, testFile: string, text: string): Promise<void> {
  mkdirSync(path.dirname(path.join(root, testFile)), { recursive: true });
  writeFileSync(path.join(root, testFile), text);
  const run = await runPytest(root, testFile);
  expect(run.code, run.output).toBe(0);
}

const CART = `from dataclasses import dataclass


@dataclass
class Line:
    sku: str
    quantity: int


class Cart:
    """A shopping cart.

    >>> cart = Cart()
    >>> cart.add("apple", 2).quantity
    2
    >>> cart.total_items()
    2
    """

    def __init__(self) -> None:
        self.lines: list = []
        self.closed = False

    def add(self, sku: str, quantity: int) -> Line:
        if self.closed:
            raise ValueError("cart is closed")
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        line = Line(sku, quantity)
        self.lines.append(line)
        return line

    def remove(self, line: Line) -> int:
        if line not in self.lines:
            raise KeyError(line.sku)
        self.lines.remove(line)
        return len(self.lines)

    def total_items(self) -> int:
        if not self.lines:
            return 0
        return sum(line.quantity for line in self.lines)

    def close(self) -> None:
        self.closed = True


def split_words(text: str, limit: int) -> list:
    """Words of text, at most limit of them.

    >>> split_words("a b c", 2)
    ['a', 'b']
    >>> split_words("", 3)
    []
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return text.split()[:limit]
`;

/** The cart module's generated tests, made once for the tests that read them. */
let cartRun: Promise<{ root: string; result: Awaited<ReturnType<typeof generatePythonTests>> }> | undefined;
function generatedCart() {
  cartRun ??= (async () => {
    const root = makeProject({ 'pyproject.toml': '', 'shop/cart.py': CART });
    return { root, result: await generatePythonTests(request(root, 'shop/cart.py', 'tests/test_cart.py')) };
  })();
  return cartRun;
}

describe('call sequences on one instance', () => {
  it('passes what add returned to remove, reaches what needs an earlier add, and pins the state afterwards', async () => {
    const { root, result } = await generatedCart();
    const text = result.text ?? '';
    // remove() of a line the cart holds: only reachable with add's own result.
    expect(text).toMatch(/instance = cart\.Cart\(\)\n {4}value1 = instance\.add\(["'][^"']*["'], \d+\)\n {4}result = instance\.remove\(value1\)\n {4}assert result == 0\n {4}assert instance\.closed is False\n {4}assert instance\.lines == \[\]/);
    // The public state after a sequence is pinned.
    expect(text).toMatch(/instance\.close\(\)\n {4}with pytest\.raises\(ValueError\) as raised:\n {8}instance\.add\([^)]*\)\n {4}assert str\(raised\.value\) == "cart is closed"\n {4}assert instance\.closed is True/);
    expect(result.dropped).toEqual([]);
    await passes(root, 'tests/test_cart.py', text);
  });
});

describe('doctests', () => {
  it('turns a documented call whose output is a literal into a test, with the examples before it as set-up', async () => {
    const { root, result } = await generatedCart();
    const text = result.text ?? '';
    expect(text).toContain("result = cart.split_words('a b c', 2)\n    assert result == ['a', 'b']");
    expect(text).toContain("result = cart.split_words('', 3)\n    assert result == []");
    // The documented call seeds the arguments: 'a b c' comes from the docstring only, the limit varies from there.
    expect(text).toContain("with pytest.raises(ValueError) as raised:\n        cart.split_words('a b c', 0)\n    assert str(raised.value) == \"limit must be at least 1\"");
    // The doctest's \`cart\` variable would hide the module imported as \`cart\`: it is renamed.
    expect(text).toContain("cart_ = cart.Cart()\n    cart_.add('apple', 2).quantity\n    result = cart_.total_items()\n    assert result == 2");
    await passes(root, 'tests/test_cart.py', text);
  });

  it('does not call, from a doctest, a function that is not explored because it acts on the process', async () => {
    const source = [
      'MARKER = []',
      '',
      '',
      'def serve(port):',
      '    MARKER.append(port)',
      '    return port',
      '',
      '',
      'class Server:',
      '    """A server.',
      '',
      '    >>> Server().port',
      '    8000',
      '    >>> serve(9)',
      '    9',
      '    """',
      '',
      '    def __init__(self):',
      '        self.port = 8000',
      '',
    ].join('\n');
    const root = makeProject({ 'pyproject.toml': '', 'app/server.py': source });
    const result = await generatePythonTests(request(root, 'app/server.py', 'tests/test_server.py'));
    expect(result.text).toContain('result = server.Server().port\n    assert result == 8000');
    expect(result.text).not.toContain('server.serve(9)');
  });

  it('adds nothing on a rerun: every subject already has its blocks', async () => {
    const root = makeProject({ 'pyproject.toml': '', 'shop/cart.py': CART });
    const first = await generatePythonTests(request(root, 'shop/cart.py', 'tests/test_cart.py'));
    mkdirSync(path.join(root, 'tests'));
    writeFileSync(path.join(root, 'tests/test_cart.py'), first.text ?? '');
    const again = await generatePythonTests(request(root, 'shop/cart.py', 'tests/test_cart.py'));
    expect(again.text).toBeUndefined();
  });
});

describe('the standard library', () => {
  it('statistics: its doctests become tests of the values they show', async () => {
    const root = makeProject({ 'pyproject.toml': '', 'copied/statistics.py': stdlibSource('statistics') });
    const result = await generatePythonTests(request(root, 'copied/statistics.py', 'tests/test_statistics.py'));
    const text = result.text ?? '';
    expect(text).toContain('result = statistics.mean([1, 2, 3, 4, 4])\n    assert result == pytest.approx(2.8)');
    expect(result.dropped).toEqual([]);
    await passes(root, 'tests/test_statistics.py', text);
  });


  it('difflib.SequenceMatcher: its documented sequences, and the state its setters leave; the tests pass under pytest', async () => {
    const root = makeProject({ 'pyproject.toml': '', 'copied/difflib.py': stdlibSource('difflib') });
    const result = await generatePythonTests(request(root, 'copied/difflib.py', 'tests/test_difflib.py'));
    const text = result.text ?? '';
    // From the class's doctest: the matcher made in one example, asked in the next.
    expect(text).toContain("s = difflib.SequenceMatcher(None, 'abcd', 'bcde')\n    result = s.ratio()\n    assert result == pytest.approx(0.75)");
    // A setter called on an instance, and what it leaves in the instance's attributes.
    expect(text).toMatch(/instance = difflib\.SequenceMatcher\(\)\n(?: {4}instance\.set_seq\d\([^)]*\)\n)+ {4}result = instance\.set_seq2\("example"\)\n {4}assert result is None\n(?: {4}assert instance\.\w+ [^\n]*\n)* {4}assert instance\.b2j == \{'e': \[0, 6\]/);
    expect(result.dropped).toEqual([]);
    await passes(root, 'tests/test_difflib.py', text);
  });
});
