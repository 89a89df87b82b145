namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// The markup, style and script of <see cref="EmbeddingPage"/>. Written as polyglot XHTML: style
/// and script sit in CDATA sections hidden from the HTML parser by comments, so the page parses as
/// XML too (which is how the tests check that it is well-formed).
/// </summary>
internal static class EmbeddingPageTemplate
{
    /// <summary>Colour of an ordinary point (the tests look for it in screenshots).</summary>
    public const string PointColour = "#1f77b4";

    /// <summary>Colour of the searched word.</summary>
    public const string SelectedColour = "#d62728";

    /// <summary>Colour of the searched word's neighbours.</summary>
    public const string NeighbourColour = "#ff7f0e";

    /// <summary>The page, given an HTML-encoded title and the data JSON (which must contain no '&lt;' or '&amp;').</summary>
    public static string Build(string encodedTitle, string json) => $$"""
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8"/>
<title>{{encodedTitle}}</title>
<style>/*<![CDATA[*/
html, body { margin: 0; height: 100%; overflow: hidden; font: 13px sans-serif; background: #fff; color: #222; }
header { display: flex; gap: 14px; align-items: center; padding: 6px 10px; border-bottom: 1px solid #ddd; height: 28px; white-space: nowrap; }
header input[type=search] { width: 180px; }
#info { overflow: hidden; text-overflow: ellipsis; color: #444; }
canvas { display: block; cursor: grab; }
/*]]>*/</style>
</head>
<body>
<header>
<strong>{{encodedTitle}}</strong>
<label><input type="radio" name="view" value="tsne" checked="checked"/> t-SNE</label>
<label><input type="radio" name="view" value="pca"/> PCA</label>
<input id="search" type="search" list="word-list" placeholder="find a word" autocomplete="off"/>
<datalist id="word-list"></datalist>
<span id="info"></span>
</header>
<canvas id="plot"></canvas>
<script type="application/json" id="embedding-data">{{json}}</script>
<script>//<![CDATA[
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('embedding-data').textContent);
  var canvas = document.getElementById('plot'), ctx = canvas.getContext('2d');
  var header = document.querySelector('header');
  var search = document.getElementById('search'), info = document.getElementById('info');
  var n = data.words.length, view = 'tsne', selected = -1, hover = -1;
  var zoom = 1, panX = 0, panY = 0, fit = null, drag = null;
  var index = {};
  var options = document.createDocumentFragment();
  data.words.forEach(function (word, i) {
    var key = word.toLowerCase();
    if (!(key in index)) index[key] = i;
    var option = document.createElement('option');
    option.value = word;
    options.appendChild(option);
  });
  document.getElementById('word-list').appendChild(options);

  // Fit the current view's points into the canvas with a margin; zoom and pan act on top of it.
  function fitView() {
    var xy = data[view], minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (var i = 0; i < n; i++) {
      minX = Math.min(minX, xy[2 * i]); maxX = Math.max(maxX, xy[2 * i]);
      minY = Math.min(minY, xy[2 * i + 1]); maxY = Math.max(maxY, xy[2 * i + 1]);
    }
    var margin = 40, w = canvas.width - 2 * margin, h = canvas.height - 2 * margin;
    var scale = Math.min(w / Math.max(maxX - minX, 1e-12), h / Math.max(maxY - minY, 1e-12));
    fit = { scale: scale, cx: (minX + maxX) / 2, cy: (minY + maxY) / 2 };
  }

  function screen(i) {
    var xy = data[view];
    return [canvas.width / 2 + ((xy[2 * i] - fit.cx) * fit.scale) * zoom + panX,
            canvas.height / 2 - ((xy[2 * i + 1] - fit.cy) * fit.scale) * zoom + panY];
  }

  function dot(p, radius, colour) {
    ctx.beginPath();
    ctx.arc(p[0], p[1], radius, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
  }

  function label(p, text, font, colour) {
    ctx.font = font;
    ctx.fillStyle = colour;
    ctx.fillText(text, p[0] + 5, p[1] - 4);
  }

  function draw() {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    var i, p;
    for (i = 0; i < n; i++) dot(screen(i), 3, '{{PointColour}}');
    // Labels of the most frequent words always; the rest appear when zoomed in enough to read them.
    var labelled = zoom >= 3 ? n : Math.min(n, Math.round(data.labelled * zoom));
    for (i = 0; i < labelled; i++) label(screen(i), data.words[i], '11px sans-serif', '#555555');
    if (selected >= 0) {
      var from = screen(selected), near = data.neighbours[selected];
      ctx.strokeStyle = '{{NeighbourColour}}';
      ctx.lineWidth = 1;
      for (i = 0; i < near.length; i++) {
        p = screen(near[i]);
        ctx.beginPath(); ctx.moveTo(from[0], from[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
      }
      for (i = 0; i < near.length; i++) {
        p = screen(near[i]);
        dot(p, 5, '{{NeighbourColour}}');
        label(p, data.words[near[i]], 'bold 12px sans-serif', '#a04000');
      }
      dot(from, 7, '{{SelectedColour}}');
      label(from, data.words[selected], 'bold 14px sans-serif', '{{SelectedColour}}');
    }
    if (hover >= 0 && hover !== selected) label(screen(hover), data.words[hover], 'bold 12px sans-serif', '#000000');
  }

  function resize() {
    canvas.width = window.innerWidth;
    canvas.height = Math.max(100, window.innerHeight - header.offsetHeight - 1);
    fitView();
    draw();
  }

  function select(word) {
    var key = word.trim().toLowerCase();
    selected = key in index ? index[key] : -1;
    if (selected >= 0) {
      info.textContent = data.words[selected] + ' \u2192 ' + data.neighbours[selected].map(function (j, k) {
        return data.words[j] + ' (' + data.similarities[selected][k].toFixed(2) + ')';
      }).join(', ');
    } else {
      info.textContent = key ? '\u201c' + key + '\u201d is not among the ' + n + ' plotted words' : n + ' words';
    }
    draw();
  }

  function nearestPoint(x, y) {
    var best = -1, bestDistance = 64;
    for (var i = 0; i < n; i++) {
      var p = screen(i), d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
      if (d < bestDistance) { bestDistance = d; best = i; }
    }
    return best;
  }

  Array.prototype.forEach.call(document.querySelectorAll('input[name=view]'), function (radio) {
    radio.addEventListener('change', function () { view = radio.value; zoom = 1; panX = panY = 0; fitView(); draw(); });
  });
  search.addEventListener('input', function () { select(search.value); });
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var factor = Math.exp(-e.deltaY * 0.002), x = e.offsetX - canvas.width / 2, y = e.offsetY - canvas.height / 2;
    panX = x - (x - panX) * factor; panY = y - (y - panY) * factor; zoom *= factor;
    draw();
  }, { passive: false });
  canvas.addEventListener('mousedown', function (e) { drag = { x: e.offsetX, y: e.offsetY, moved: false }; });
  canvas.addEventListener('mousemove', function (e) {
    if (drag) {
      panX += e.offsetX - drag.x; panY += e.offsetY - drag.y;
      drag.moved = drag.moved || Math.abs(e.offsetX - drag.x) + Math.abs(e.offsetY - drag.y) > 0;
      drag.x = e.offsetX; drag.y = e.offsetY;
    }
    hover = nearestPoint(e.offsetX, e.offsetY);
    draw();
  });
  window.addEventListener('mouseup', function (e) {
    if (drag && !drag.moved && e.target === canvas) {
      var hit = nearestPoint(e.offsetX, e.offsetY);
      if (hit >= 0) { search.value = data.words[hit]; select(search.value); }
    }
    drag = null;
  });
  canvas.addEventListener('dblclick', function () { zoom = 1; panX = panY = 0; draw(); });
  window.addEventListener('resize', resize);

  // The fragment picks the starting view and word: #view=pca&word=king (or just #king).
  var hash = decodeURIComponent(location.hash.slice(1)), params = {};
  hash.split('&').forEach(function (part) {
    var eq = part.indexOf('=');
    if (eq > 0) params[part.slice(0, eq)] = part.slice(eq + 1); else if (part) params.word = part;
  });
  if (params.view === 'pca' || params.view === 'tsne') {
    view = params.view;
    document.querySelector('input[value=' + view + ']').checked = true;
  }
  resize();
  search.value = params.word || '';
  select(search.value);
})();
//]]></script>
</body>
</html>

""";
}
