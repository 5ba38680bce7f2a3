"""mulberry32 in Python, the same stream as src/stats/random.ts seededRandom, and the random test
case of test/stats/random-case.ts built from it, so the reference values computed here with
scikit-learn/scipy are for exactly the data the TypeScript tests see.

Run: /usr/bin/python3 scripts/reference/mulberry32.py   (prints the first draws of seed 42)
"""

M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def mulberry32(seed):
    state = seed & M32

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & M32
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    return draw


def random_case(seed, n):
    """Same rows as randomCase(seed, n) in test/stats/random-case.ts: integer points 0..199, a
    second scorer points + 0..39, a probability and a label whose rate rises with the points."""
    draw = mulberry32(seed)
    points, points_b, probabilities, labels = [], [], [], []
    for _ in range(n):
        p = float(int(draw() * 200))
        y = 1 if draw() < 0.05 + p / 400 else 0
        prob = 0.02 + p / 400 + draw() * 0.05
        b = p + float(int(draw() * 40))
        points.append(p)
        labels.append(y)
        probabilities.append(prob)
        points_b.append(b)
    return points, points_b, probabilities, labels


if __name__ == "__main__":
    draw = mulberry32(42)
    print([draw() for _ in range(3)])
