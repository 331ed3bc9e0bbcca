// The link graph of a case, drawn on a canvas: a force layout whose repulsion only looks at the nodes in the
// neighbouring cells of a uniform grid (so one step costs about O(n) rather than O(n²)), pan and zoom, dragging,
// and a click that asks the server for a node's neighbours. Blazor owns the data; this module owns the picture.

const CELL = 80;          // grid cell, in layout units: repulsion reaches one cell around
const REST = 46;          // rest length of an edge
const RADIUS = 7;         // drawn radius of a node at scale 1
const MAX_LABELS = 400;   // labels drawn in one frame, most connected first

export function create(canvas, dotnet, options) {
    const graph = new LinkGraph(canvas, dotnet, options || {});
    canvas.ribatGraph = graph;
    return graph;
}

class LinkGraph {
    constructor(canvas, dotnet, options) {
        this.canvas = canvas;
        this.context = canvas.getContext('2d');
        this.dotnet = dotnet;
        this.colours = options.colours || {};
        this.nodes = [];
        this.byId = new Map();
        this.edges = [];
        this.edgeIds = new Set();
        this.grid = new Map();
        this.scale = 1;
        this.offsetX = 0;
        this.offsetY = 0;
        this.alpha = 1;
        this.selected = null;
        this.frames = 0;
        this.expansions = 0;
        this.pointer = null;
        this.running = false;
        this.disposed = false;
        this.fitted = false;
        this.resize();
        this.listen();
    }

    // Adds nodes and edges not yet shown; new nodes start beside a shown neighbour so an expansion grows in place.
    merge(nodes, edges) {
        let added = 0;
        const anchorOf = new Map();
        for (const e of edges || []) {
            if (this.byId.has(e.from) && !this.byId.has(e.to)) anchorOf.set(e.to, this.byId.get(e.from));
            if (this.byId.has(e.to) && !this.byId.has(e.from)) anchorOf.set(e.from, this.byId.get(e.to));
        }
        for (const n of nodes || []) {
            const known = this.byId.get(n.id);
            if (known) {
                known.degree = n.degree;
                known.correlations = n.correlations;
                continue;
            }
            const anchor = anchorOf.get(n.id);
            const index = this.nodes.length;
            let x, y;
            if (anchor) {
                const angle = Math.random() * Math.PI * 2;
                x = anchor.x + Math.cos(angle) * REST;
                y = anchor.y + Math.sin(angle) * REST;
            } else {
                // A sunflower spiral spreads thousands of nodes evenly before the forces take over.
                const r = 12 * Math.sqrt(index + 1);
                const a = index * 2.39996323;
                x = r * Math.cos(a);
                y = r * Math.sin(a);
            }
            const node = { id: n.id, kind: n.kind, label: n.label || n.id, correlation: !!n.correlation, degree: n.degree || 0,
                correlations: n.correlations, x, y, vx: 0, vy: 0, links: 0, fixed: false, expanded: false };
            this.nodes.push(node);
            this.byId.set(n.id, node);
            added++;
        }
        for (const e of edges || []) {
            if (this.edgeIds.has(e.id)) continue;
            const source = this.byId.get(e.from);
            const target = this.byId.get(e.to);
            if (!source || !target) continue;
            this.edgeIds.add(e.id);
            this.edges.push({ id: e.id, source, target, kind: e.kind, correlation: !!e.correlation, money: e.money ? e.money.label : null });
            source.links++;
            target.links++;
            added++;
        }
        if (added > 0) {
            this.alpha = Math.max(this.alpha, this.nodes.length > 2000 ? 0.5 : 0.8);
            this.labelOrder = null;
        }
        if (!this.fitted && this.nodes.length > 0) this.fit();
        this.publish();
        this.wake();
        return added;
    }

    clear() {
        this.nodes = [];
        this.byId.clear();
        this.edges = [];
        this.edgeIds.clear();
        this.selected = null;
        this.fitted = false;
        this.publish();
        this.wake();
    }

    markExpanded(id) {
        const node = this.byId.get(id);
        if (node) node.expanded = true;
        this.expansions++;
        this.publish();
        this.wake();
    }

    // Where a node is on screen, in CSS pixels relative to the canvas: for tests and for placing a tooltip.
    screenPosition(id) {
        const node = this.byId.get(id);
        if (!node) return null;
        return { x: node.x * this.scale + this.offsetX, y: node.y * this.scale + this.offsetY };
    }

    // Brings a node to the middle of the view at a legible scale.
    centre(id) {
        const node = this.byId.get(id);
        if (!node) return false;
        this.scale = Math.max(this.scale, 1.5);
        this.offsetX = this.width / 2 - node.x * this.scale;
        this.offsetY = this.height / 2 - node.y * this.scale;
        this.wake();
        return true;
    }

    stats() {
        return { nodes: this.nodes.length, edges: this.edges.length, frames: this.frames, expansions: this.expansions, scale: this.scale, alpha: this.alpha };
    }

    fit() {
        if (this.nodes.length === 0) return;
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const n of this.nodes) {
            minX = Math.min(minX, n.x); minY = Math.min(minY, n.y);
            maxX = Math.max(maxX, n.x); maxY = Math.max(maxY, n.y);
        }
        const width = this.width, height = this.height;
        const span = Math.max(maxX - minX, maxY - minY, 1);
        this.scale = Math.min(2, Math.max(0.05, 0.85 * Math.min(width, height) / span));
        this.offsetX = width / 2 - (minX + maxX) / 2 * this.scale;
        this.offsetY = height / 2 - (minY + maxY) / 2 * this.scale;
        this.fitted = true;
        this.wake();
    }

    zoom(factor, x, y) {
        const next = Math.min(8, Math.max(0.02, this.scale * factor));
        x = x ?? this.width / 2;
        y = y ?? this.height / 2;
        this.offsetX = x - (x - this.offsetX) * next / this.scale;
        this.offsetY = y - (y - this.offsetY) * next / this.scale;
        this.scale = next;
        this.wake();
    }

    dispose() {
        this.disposed = true;
        this.observer?.disconnect();
        for (const [type, handler] of this.handlers) this.canvas.removeEventListener(type, handler);
        delete this.canvas.ribatGraph;
    }

    // The canvas keeps the size CSS gives it, at the screen's pixel density.
    resize() {
        const ratio = window.devicePixelRatio || 1;
        const box = this.canvas.getBoundingClientRect();
        this.width = Math.max(1, box.width);
        this.height = Math.max(1, box.height);
        this.canvas.width = Math.round(this.width * ratio);
        this.canvas.height = Math.round(this.height * ratio);
        this.ratio = ratio;
        this.wake();
    }

    listen() {
        const at = event => {
            const box = this.canvas.getBoundingClientRect();
            return { x: event.clientX - box.left, y: event.clientY - box.top };
        };
        this.handlers = [
            ['pointerdown', event => {
                const p = at(event);
                const node = this.hit(p.x, p.y);
                this.pointer = { start: p, last: p, node, moved: false, id: event.pointerId };
                if (node) node.fixed = true;
                this.canvas.setPointerCapture(event.pointerId);
            }],
            ['pointermove', event => {
                if (!this.pointer) return;
                const p = at(event);
                const dx = p.x - this.pointer.last.x, dy = p.y - this.pointer.last.y;
                if (Math.abs(p.x - this.pointer.start.x) + Math.abs(p.y - this.pointer.start.y) > 4) this.pointer.moved = true;
                if (this.pointer.node) {
                    this.pointer.node.x += dx / this.scale;
                    this.pointer.node.y += dy / this.scale;
                    this.alpha = Math.max(this.alpha, 0.2);
                } else {
                    this.offsetX += dx;
                    this.offsetY += dy;
                }
                this.pointer.last = p;
                this.wake();
            }],
            ['pointerup', () => {
                const pointer = this.pointer;
                this.pointer = null;
                if (!pointer) return;
                if (pointer.node && !pointer.moved) {
                    pointer.node.fixed = false;
                    this.select(pointer.node);
                } else if (!pointer.node && !pointer.moved) {
                    this.selected = null;
                    this.wake();
                }
            }],
            ['wheel', event => {
                event.preventDefault();
                const p = at(event);
                this.zoom(Math.exp(-event.deltaY * 0.0015), p.x, p.y);
            }],
        ];
        for (const [type, handler] of this.handlers) this.canvas.addEventListener(type, handler, type === 'wheel' ? { passive: false } : undefined);
        this.observer = new ResizeObserver(() => this.resize());
        this.observer.observe(this.canvas);
    }

    select(node) {
        this.selected = node;
        this.wake();
        if (!node.correlation) {
            this.dotnet.invokeMethodAsync('ExpandAsync', node.id).catch(() => { });
        }
        this.dotnet.invokeMethodAsync('SelectAsync', node.id).catch(() => { });
    }

    // The nearest node under a screen point, found through the layout grid.
    hit(sx, sy) {
        const x = (sx - this.offsetX) / this.scale, y = (sy - this.offsetY) / this.scale;
        const reach = Math.max(RADIUS + 3, 10 / this.scale);
        let best = null, bestDistance = reach * reach;
        const cx = Math.floor(x / CELL), cy = Math.floor(y / CELL);
        const span = Math.ceil(reach / CELL);
        this.buildGrid();
        for (let gx = cx - span; gx <= cx + span; gx++) {
            for (let gy = cy - span; gy <= cy + span; gy++) {
                for (const n of this.grid.get(key(gx, gy)) || []) {
                    const d = (n.x - x) ** 2 + (n.y - y) ** 2;
                    if (d <= bestDistance) { best = n; bestDistance = d; }
                }
            }
        }
        return best;
    }

    buildGrid() {
        this.grid.clear();
        for (const n of this.nodes) {
            const k = key(Math.floor(n.x / CELL), Math.floor(n.y / CELL));
            let cell = this.grid.get(k);
            if (!cell) this.grid.set(k, cell = []);
            cell.push(n);
        }
    }

    // One step of the layout: grid-local repulsion, springs along edges, a weak pull to the centre.
    step() {
        const nodes = this.nodes, alpha = this.alpha;
        this.buildGrid();
        const strength = 900 * alpha;
        for (const [k, cell] of this.grid) {
            const gx = k >> 16, gy = (k << 16) >> 16;
            for (let ox = -1; ox <= 1; ox++) {
                for (let oy = -1; oy <= 1; oy++) {
                    const other = this.grid.get(key(gx + ox, gy + oy));
                    if (!other) continue;
                    for (const a of cell) {
                        for (const b of other) {
                            if (a === b) continue;
                            let dx = a.x - b.x, dy = a.y - b.y;
                            let d2 = dx * dx + dy * dy;
                            if (d2 > CELL * CELL) continue;
                            if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.25; }
                            const f = strength / d2;
                            a.vx += dx * f * 0.5 / Math.sqrt(d2);
                            a.vy += dy * f * 0.5 / Math.sqrt(d2);
                        }
                    }
                }
            }
        }
        for (const e of this.edges) {
            const dx = e.target.x - e.source.x, dy = e.target.y - e.source.y;
            const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
            const f = (d - REST) / d * 0.08 * alpha;
            const wa = 1 / Math.max(1, e.source.links), wb = 1 / Math.max(1, e.target.links);
            e.source.vx += dx * f * wa; e.source.vy += dy * f * wa;
            e.target.vx -= dx * f * wb; e.target.vy -= dy * f * wb;
        }
        for (const n of nodes) {
            n.vx -= n.x * 0.0008 * alpha;
            n.vy -= n.y * 0.0008 * alpha;
            if (n.fixed) { n.vx = 0; n.vy = 0; continue; }
            n.vx *= 0.6; n.vy *= 0.6;
            const speed = Math.hypot(n.vx, n.vy);
            if (speed > 30) { n.vx *= 30 / speed; n.vy *= 30 / speed; }
            n.x += n.vx; n.y += n.vy;
        }
        this.alpha *= nodes.length > 3000 ? 0.97 : 0.985;
    }

    wake() {
        if (this.running || this.disposed) return;
        this.running = true;
        requestAnimationFrame(() => this.frame());
    }

    frame() {
        if (this.disposed) return;
        const busy = this.alpha > 0.01 || this.pointer;
        if (this.alpha > 0.01) this.step();
        this.draw();
        if (busy) {
            requestAnimationFrame(() => this.frame());
        } else {
            this.running = false;
            this.publish();
        }
    }

    colour(kind) {
        return this.colours[kind] || '#888888';
    }

    draw() {
        const c = this.context, s = this.scale;
        c.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
        c.clearRect(0, 0, this.width, this.height);
        c.setTransform(this.ratio * s, 0, 0, this.ratio * s, this.ratio * this.offsetX, this.ratio * this.offsetY);
        const left = -this.offsetX / s, top = -this.offsetY / s, right = left + this.width / s, bottom = top + this.height / s;
        const visible = n => n.x >= left - 20 && n.x <= right + 20 && n.y >= top - 20 && n.y <= bottom + 20;

        // Edges in three batched paths: relationships solid, correlations dashed, money flows green and thicker.
        const styles = [
            { test: e => !e.correlation && !e.money, colour: 'rgba(90, 90, 110, 0.45)', dash: [], width: 1 },
            { test: e => e.correlation, colour: 'rgba(200, 120, 0, 0.7)', dash: [4 / s, 3 / s], width: 1 },
            { test: e => !!e.money, colour: 'rgba(46, 125, 50, 0.8)', dash: [], width: 2 },
        ];
        for (const style of styles) {
            c.beginPath();
            for (const e of this.edges) {
                if (!style.test(e) || (!visible(e.source) && !visible(e.target))) continue;
                c.moveTo(e.source.x, e.source.y);
                c.lineTo(e.target.x, e.target.y);
            }
            c.lineWidth = style.width / s;
            c.strokeStyle = style.colour;
            c.setLineDash(style.dash);
            c.stroke();
        }
        c.setLineDash([]);

        // Nodes batched by kind: one path and one fill per colour.
        const r = Math.max(RADIUS, 2.5 / s);
        const byKind = new Map();
        for (const n of this.nodes) {
            if (!visible(n)) continue;
            let list = byKind.get(n.kind);
            if (!list) byKind.set(n.kind, list = []);
            list.push(n);
        }
        for (const [kind, list] of byKind) {
            c.beginPath();
            for (const n of list) {
                if (n.correlation) {
                    c.rect(n.x - r, n.y - r, r * 2, r * 2);
                } else {
                    c.moveTo(n.x + r, n.y);
                    c.arc(n.x, n.y, r, 0, Math.PI * 2);
                }
            }
            c.fillStyle = this.colour(kind);
            c.fill();
        }

        // Nodes with neighbours not yet shown get a ring: clicking them adds something.
        c.beginPath();
        for (const n of this.nodes) {
            if (!n.correlation && !n.expanded && n.degree > n.links && visible(n)) {
                c.moveTo(n.x + r + 2 / s, n.y);
                c.arc(n.x, n.y, r + 2 / s, 0, Math.PI * 2);
            }
        }
        c.strokeStyle = '#333';
        c.lineWidth = 1.2 / s;
        c.stroke();

        if (this.selected) {
            c.beginPath();
            c.arc(this.selected.x, this.selected.y, r + 5 / s, 0, Math.PI * 2);
            c.strokeStyle = '#d32f2f';
            c.lineWidth = 2.5 / s;
            c.stroke();
        }

        // Labels once they are legible, the best connected first, in screen space so they keep their size.
        c.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
        c.font = '12px sans-serif';
        c.fillStyle = '#222';
        c.textBaseline = 'middle';
        if (!this.labelOrder) this.labelOrder = [...this.nodes].sort((a, b) => (b.links + b.degree) - (a.links + a.degree));
        let labels = 0;
        const zoomedIn = s >= 0.7;
        for (const n of this.labelOrder) {
            if (labels >= MAX_LABELS) break;
            if (!(zoomedIn || n === this.selected || this.nodes.length < 60) || !visible(n)) continue;
            const text = n.label.length > 40 ? n.label.slice(0, 39) + '…' : n.label;
            c.fillText(text, n.x * s + this.offsetX + r * s + 4, n.y * s + this.offsetY);
            labels++;
        }
        // Money edges carry their totals at their middle once legible, a bounded number per frame.
        if (zoomedIn) {
            c.fillStyle = '#1b5e20';
            let moneyLabels = 0;
            for (const e of this.edges) {
                if (moneyLabels >= MAX_LABELS) break;
                if (!e.money || (!visible(e.source) && !visible(e.target))) continue;
                const text = e.money.length > 48 ? e.money.slice(0, 47) + '…' : e.money;
                c.fillText(text, (e.source.x + e.target.x) / 2 * s + this.offsetX, (e.source.y + e.target.y) / 2 * s + this.offsetY);
                moneyLabels++;
            }
            c.fillStyle = '#222';
        }
        if (this.selected && !zoomedIn) {
            c.fillText(this.selected.label, this.selected.x * s + this.offsetX + r * s + 4, this.selected.y * s + this.offsetY);
        }

        this.frames++;
        if (this.frames % 10 === 1) this.publish();
    }

    // Counts on the element, so that a page and its tests can tell what is drawn.
    publish() {
        this.canvas.dataset.nodes = String(this.nodes.length);
        this.canvas.dataset.edges = String(this.edges.length);
        this.canvas.dataset.money = String(this.edges.filter(e => e.money).length);
        this.canvas.dataset.frames = String(this.frames);
        this.canvas.dataset.expansions = String(this.expansions);
        this.canvas.dataset.settled = String(this.alpha <= 0.01);
    }
}

function key(x, y) {
    return ((x & 0xffff) << 16) | (y & 0xffff);
}
