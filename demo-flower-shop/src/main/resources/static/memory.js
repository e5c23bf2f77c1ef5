// The memory report: runs /api/memory-report and draws the tokens per turn of each kind of memory as an inline SVG
// line chart, with a table of the turns below.
(function () {
	'use strict';

	const COLOURS = { buffer: '#c2255c', window: '#2b8a3e', summary: '#1971c2' };
	// Buffer and window memory send the same until the window fills: dashes keep both lines visible.
	const DASHES = { buffer: '', window: '9 6', summary: '' };
	const SVG = 'http://www.w3.org/2000/svg';
	const chart = document.getElementById('memory-chart');
	const tables = document.getElementById('tables');
	const status = document.getElementById('status');
	const run = document.getElementById('run');

	function svg(name, attributes, text) {
		const element = document.createElementNS(SVG, name);
		Object.keys(attributes).forEach(function (key) {
			element.setAttribute(key, attributes[key]);
		});
		if (text !== undefined) {
			element.textContent = text;
		}
		chart.appendChild(element);
		return element;
	}

	// A round step for the y axis: 1, 2 or 5 times a power of ten, about five ticks.
	function step(max) {
		const raw = max / 5;
		const power = Math.pow(10, Math.floor(Math.log10(raw)));
		return [1, 2, 5, 10].map(function (m) { return m * power; }).find(function (s) { return s >= raw; });
	}

	function draw(report) {
		chart.replaceChildren();
		const left = 70, right = 240, top = 30, bottom = 50;
		const width = 840 - left - right, height = 380 - top - bottom;
		const turns = report.turns.length;
		const max = Math.max.apply(null, report.memories.flatMap(function (memory) {
			return memory.turns.map(function (turn) { return turn.usage.totalTokens; });
		}));
		const tick = step(max);
		const yMax = Math.ceil(max / tick) * tick;
		const x = function (turn) { return left + (turns === 1 ? width / 2 : (turn - 1) * width / (turns - 1)); };
		const y = function (tokens) { return top + height - tokens * height / yMax; };

		for (let value = 0; value <= yMax; value += tick) {
			svg('line', { x1: left, x2: left + width, y1: y(value), y2: y(value), class: 'grid' });
			svg('text', { x: left - 8, y: y(value) + 4, class: 'axis-label', 'text-anchor': 'end' }, String(value));
		}
		for (let turn = 1; turn <= turns; turn++) {
			svg('text', { x: x(turn), y: top + height + 22, class: 'axis-label', 'text-anchor': 'middle' },
				'Turn ' + turn);
		}
		svg('text', { x: 16, y: top + height / 2, class: 'axis-title', 'text-anchor': 'middle',
			transform: 'rotate(-90 16 ' + (top + height / 2) + ')' }, 'tokens per turn');

		const labelled = {};
		report.memories.forEach(function (memory, index) {
			const colour = COLOURS[memory.memory] || '#495057';
			const points = memory.turns.map(function (turn) {
				return x(turn.turn) + ',' + y(turn.usage.totalTokens);
			}).join(' ');
			svg('polyline', { points: points, fill: 'none', stroke: colour, 'stroke-width': 3,
				'stroke-dasharray': DASHES[memory.memory] || '', class: 'series', 'data-memory': memory.memory });
			memory.turns.forEach(function (turn) {
				svg('circle', { cx: x(turn.turn), cy: y(turn.usage.totalTokens), r: 5, fill: colour });
				// One label per point, even where two lines meet.
				const key = turn.turn + ':' + turn.usage.totalTokens;
				if (!labelled[key]) {
					labelled[key] = true;
					svg('text', { x: x(turn.turn), y: y(turn.usage.totalTokens) - 12, class: 'point-label',
						'text-anchor': 'middle', fill: colour }, String(turn.usage.totalTokens));
				}
			});
			const legendX = left + width + 40, legendY = top + 10 + index * 28;
			svg('line', { x1: legendX, x2: legendX + 28, y1: legendY, y2: legendY, stroke: colour, 'stroke-width': 3,
				'stroke-dasharray': DASHES[memory.memory] || '' });
			svg('text', { x: legendX + 36, y: legendY + 5, class: 'legend' },
				memory.memory + ' (' + memory.total.totalTokens + ' in all)');
		});
	}

	function cell(row, text, className) {
		const td = document.createElement('td');
		td.textContent = text;
		if (className) {
			td.className = className;
		}
		row.appendChild(td);
	}

	function table(memory) {
		const section = document.createElement('section');
		section.className = 'memory-table';
		const heading = document.createElement('h2');
		heading.textContent = memory.memory + ' memory';
		heading.style.color = COLOURS[memory.memory] || '';
		const description = document.createElement('p');
		description.textContent = memory.description;
		const tableElement = document.createElement('table');
		tableElement.innerHTML = '<thead><tr><th>Turn</th><th>Customer</th><th>Shop</th><th>Memory after the turn</th>'
			+ '<th>Prompt</th><th>Completion</th><th>Total</th><th>Calls</th></tr></thead>';
		const body = document.createElement('tbody');
		memory.turns.forEach(function (turn) {
			const row = document.createElement('tr');
			cell(row, String(turn.turn), 'number');
			cell(row, turn.message);
			cell(row, turn.reply);
			cell(row, turn.memory, 'memory');
			cell(row, String(turn.usage.promptTokens), 'number');
			cell(row, String(turn.usage.completionTokens), 'number');
			cell(row, String(turn.usage.totalTokens), 'number');
			cell(row, String(turn.usage.llmCalls), 'number');
			body.appendChild(row);
		});
		const total = document.createElement('tr');
		total.className = 'total';
		cell(total, 'All');
		cell(total, '');
		cell(total, '');
		cell(total, '');
		cell(total, String(memory.total.promptTokens), 'number');
		cell(total, String(memory.total.completionTokens), 'number');
		cell(total, String(memory.total.totalTokens), 'number');
		cell(total, String(memory.total.llmCalls), 'number');
		body.appendChild(total);
		tableElement.appendChild(body);
		section.append(heading, description, tableElement);
		return section;
	}

	function load() {
		run.disabled = true;
		status.dataset.state = 'running';
		status.textContent = 'Running the conversation under three kinds of memory…';
		const started = Date.now();
		fetch('/api/memory-report').then(function (response) {
			if (!response.ok) {
				throw new Error('HTTP ' + response.status);
			}
			return response.json();
		}).then(function (report) {
			draw(report);
			tables.replaceChildren.apply(tables, report.memories.map(table));
			status.dataset.state = 'done';
			status.textContent = 'Done in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s (window memory keeps '
				+ report.windowMessages + ' messages).';
		}).catch(function (error) {
			status.dataset.state = 'failed';
			status.textContent = 'The report failed: ' + error.message;
		}).finally(function () {
			run.disabled = false;
		});
	}

	run.addEventListener('click', load);
	load();
})();
