"""The Playground's pictures from numpy arrays: PNG heatmaps with points, the network as SVG, the
loss curves as SVG. No matplotlib: one Play tick redraws them in a few milliseconds.

Colours are the Playground's: orange for -1, white for 0, blue for +1.
"""
import base64
import html
import struct
import zlib

import numpy as np

ORANGE = np.array([245, 147, 34], np.float64)
BLUE = np.array([8, 119, 189], np.float64)
WHITE = np.array([232, 234, 235], np.float64)


def colours(values):
    """Values in [-1, 1] (clipped) to RGB uint8: orange, white, blue."""
    v = np.clip(np.nan_to_num(np.asarray(values, np.float64), nan=0.0), -1, 1)[..., None]
    rgb = np.where(v < 0, WHITE + (ORANGE - WHITE) * -v, WHITE + (BLUE - WHITE) * v)
    return rgb.astype(np.uint8)


def png(rgb):
    """An (h, w, 3) uint8 array as PNG bytes (zlib, one filter byte per row)."""
    h, w, _ = rgb.shape
    raw = np.concatenate([np.zeros((h, 1), np.uint8), rgb.reshape(h, w * 3)], axis=1).tobytes()

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def data_uri(png_bytes):
    return "data:image/png;base64," + base64.b64encode(png_bytes).decode("ascii")


def boundary(values, domain, train=None, test=None, size=300, scale=1.0):
    """The output on the grid as a size × size picture, the points on it (train: white ring,
    test: black ring). `values` row 0 is the top; `scale` divides regression outputs."""
    density = values.shape[0]
    image = colours(values / scale)
    reps = int(np.ceil(size / density))
    image = np.repeat(np.repeat(image, reps, axis=0), reps, axis=1)[:size, :size].copy()
    lo, hi = domain
    for points, ring in ((train, 255), (test, 0)):
        if points is None:
            continue
        pts, labs = points
        col = np.clip(((pts[:, 0] - lo) / (hi - lo) * (size - 1)).round().astype(int), 0, size - 1)
        row = np.clip(((hi - pts[:, 1]) / (hi - lo) * (size - 1)).round().astype(int), 0, size - 1)
        fill = colours(np.clip(labs / scale, -1, 1) * 1.0)
        fill = np.where(np.abs(labs[:, None]) > 0, (fill * 0.75).astype(np.uint8), fill)
        for dr in range(-2, 3):
            for dc in range(-2, 3):
                r, c = np.clip(row + dr, 0, size - 1), np.clip(col + dc, 0, size - 1)
                edge = max(abs(dr), abs(dc)) == 2
                image[r, c] = ring if edge else fill
    return image


def network_svg(names, features, widths, weights, maps, selected=None, formulas=None, cell=34):
    """The network: a column of feature squares, one column per layer of neuron squares (each a
    small heatmap, `maps[k][j]` a data URI), and the weights as lines between them whose width
    is the weight's size and colour its sign (blue +, orange −). `formulas[name]` is each
    neuron's tooltip (hover)."""
    gap_x, gap_y, pad = 72, 10, 20
    columns = [list(features)] + [[f"{names[k]}/{j}" for j in range(n)] for k, n in enumerate(widths)]
    tallest = max(len(c) for c in columns)
    height = pad * 2 + tallest * (cell + gap_y)
    width = pad * 2 + (len(columns) - 1) * gap_x + cell + 40

    def pos(k, j):
        offset = (tallest - len(columns[k])) * (cell + gap_y) / 2
        return pad + k * gap_x, pad + offset + j * (cell + gap_y)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'class="tfteach-playground-network" style="font:10px sans-serif">']
    biggest = max([float(np.abs(w).max()) for w in weights if np.size(w)] + [1e-9])
    for k, w in enumerate(weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos(k, i), pos(k + 1, j)
                value = float(w[i, j])
                stroke = "#0877bd" if value >= 0 else "#f59322"
                thick = 0.5 + 5.5 * min(abs(value) / max(biggest, 1.0), 1.0) if np.isfinite(value) else 1
                parts.append(f'<line x1="{x0 + cell}" y1="{y0 + cell / 2:.1f}" x2="{x1}" y2="{y1 + cell / 2:.1f}" '
                             f'stroke="{stroke}" stroke-width="{thick:.2f}" opacity="0.75">'
                             f'<title>{html.escape(columns[k][i])} → {html.escape(columns[k + 1][j])}: '
                             f'weight {value:.3g}</title></line>')
    for k, column in enumerate(columns):
        for j, name in enumerate(column):
            x, y = pos(k, j)
            border = "#d00" if name == selected else "#555"
            tip = html.escape((formulas or {}).get(name, name))
            parts.append(f'<g class="tfteach-neuron" data-name="{html.escape(name)}"><title>{tip}</title>'
                         f'<image x="{x}" y="{y:.1f}" width="{cell}" height="{cell}" '
                         f'href="{maps[k][j]}" style="image-rendering:pixelated"/>'
                         f'<rect x="{x}" y="{y:.1f}" width="{cell}" height="{cell}" fill="none" '
                         f'stroke="{border}" stroke-width="{2 if name == selected else 1}"/></g>')
            if k == 0:
                parts.append(f'<text x="{x - 3}" y="{y + cell / 2 + 3:.1f}" text-anchor="end">'
                             f'{html.escape(name)}</text>')
        label = "features" if k == 0 else names[k - 1]
        parts.append(f'<text x="{pos(k, 0)[0] + cell / 2}" y="{pad - 6}" text-anchor="middle" '
                     f'font-weight="bold">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def loss_svg(train, test, width=300, height=90):
    """Train (grey) and test (black) loss per epoch as two polylines, the y axis from 0."""
    train, test = np.asarray(train, np.float64), np.asarray(test, np.float64)
    finite = np.concatenate([train[np.isfinite(train)], test[np.isfinite(test)], [1e-9]])
    top = float(finite.max())
    n = max(len(train) - 1, 1)

    def line(values, colour):
        keep = np.isfinite(values)
        xs = np.arange(len(values))[keep] / n * (width - 10) + 5
        ys = height - 5 - values[keep] / top * (height - 10)
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'class="tfteach-playground-loss"><rect width="{width}" height="{height}" fill="#fafafa" '
            f'stroke="#ccc"/>{line(train, "#999")}{line(test, "#222")}'
            f'<text x="{width - 4}" y="12" text-anchor="end" font-size="10">max {top:.3f}</text></svg>')


class Picture:
    """PNG bytes that a notebook shows as an image; its text form says what it shows."""

    def __init__(self, png_bytes, text):
        self.png, self.text = png_bytes, text

    def _repr_png_(self):
        return self.png

    def __repr__(self):
        return f"<{self.text}>"
