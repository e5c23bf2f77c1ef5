// The chat page: sends a question to /api/chat/stream and shows the answer as it streams in (EventSource), then
// the request's usage, the shop's totals and the spend by customer from the usage ledger.
(function () {
	'use strict';

	const form = document.getElementById('chat-form');
	const input = document.getElementById('message');
	const send = document.getElementById('send');
	const messages = document.getElementById('messages');
	const status = document.getElementById('status');
	const chunks = document.getElementById('request-chunks');
	const conversationId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
		: 'c-' + Date.now() + '-' + Math.random().toString(16).slice(2);

	function bubble(kind, text) {
		const element = document.createElement('div');
		element.className = 'bubble ' + kind;
		element.textContent = text;
		messages.appendChild(element);
		messages.scrollTop = messages.scrollHeight;
		return element;
	}

	function showUsage(listId, usage) {
		document.querySelectorAll('#' + listId + ' dd[data-field]').forEach(function (dd) {
			const value = usage ? usage[dd.dataset.field] : undefined;
			dd.textContent = (value === undefined || value === null) ? '–' : String(value);
		});
	}

	// The ledger's totals per conversation (each is a customer), most expensive first. Rows are written in the
	// background, a moment after the answer: after each one the table is asked for again until it holds this
	// page's model calls (a few tries).
	let myCalls = 0;

	function showSpend(triesLeft) {
		fetch('/actuator/llmusage?groupBy=conversation').then(function (response) {
			return response.ok ? response.json() : null;
		}).then(function (usage) {
			if (!usage) {
				return;
			}
			// Runs without a conversation (the lesson's own calls) form a group without one: not a customer.
			const all = usage.totals.filter(function (row) {
				return typeof row.group.conversation === 'string';
			}).sort(function (a, b) {
				return b.cost - a.cost || b.totalTokens - a.totalTokens;
			});
			// The ten biggest spenders, and this page's customer wherever it ranks.
			const totals = all.slice(0, 10);
			const mine = all.find(function (row) {
				return row.group.conversation === conversationId;
			});
			if (mine && totals.indexOf(mine) < 0) {
				totals.push(mine);
			}
			renderSpend(totals);
			if (triesLeft > 0 && (!mine || mine.requests < myCalls)) {
				setTimeout(function () {
					showSpend(triesLeft - 1);
				}, 300);
			}
		});
	}

	function renderSpend(totals) {
		const body = document.querySelector('#spend tbody');
		body.replaceChildren();
		if (totals.length === 0) {
			const row = body.insertRow();
			const cell = row.insertCell();
			cell.colSpan = 4;
			cell.className = 'empty';
			cell.textContent = 'No LLM calls recorded yet.';
			return;
		}
		totals.forEach(function (total) {
			const row = body.insertRow();
			const id = total.group.conversation;
			row.dataset.conversation = id;
			row.className = (id === conversationId) ? 'mine' : '';
			const name = row.insertCell();
			name.textContent = (id === conversationId) ? 'you' : id.slice(0, 8);
			name.title = id;
			[String(total.requests), String(total.totalTokens), String(total.cost)].forEach(function (text) {
				const cell = row.insertCell();
				cell.className = 'number';
				cell.textContent = text;
			});
		});
	}

	function setStatus(state, text) {
		status.dataset.state = state;
		status.textContent = text;
	}

	function ask(question) {
		bubble('customer', question);
		const answer = bubble('shop streaming', '');
		let count = 0;
		chunks.textContent = '0';
		showUsage('request-usage', null);
		send.disabled = true;
		setStatus('streaming', 'The shop is answering…');
		const url = '/api/chat/stream?message=' + encodeURIComponent(question)
			+ '&conversationId=' + encodeURIComponent(conversationId);
		const events = new EventSource(url);
		function finish(state, text) {
			// Closed here: otherwise EventSource reconnects when the server ends the stream, asking again.
			events.close();
			answer.classList.remove('streaming');
			send.disabled = false;
			setStatus(state, text);
			input.focus();
		}
		events.addEventListener('token', function (event) {
			answer.textContent += JSON.parse(event.data).text;
			count++;
			chunks.textContent = String(count);
			messages.scrollTop = messages.scrollHeight;
		});
		events.addEventListener('usage', function (event) {
			const usage = JSON.parse(event.data);
			showUsage('request-usage', usage.request);
			showUsage('totals-usage', usage.totals);
			finish('done', 'Answered by ' + usage.model + ' with ' + usage.request.totalTokens + ' tokens in '
				+ usage.request.llmCalls + ' model call(s).');
			myCalls += usage.request.llmCalls;
			setTimeout(function () {
				showSpend(20);
			}, 200);
		});
		events.addEventListener('failure', function (event) {
			answer.textContent = 'Sorry, something went wrong: ' + JSON.parse(event.data).message;
			finish('failed', 'The request failed.');
		});
		events.onerror = function () {
			if (events.readyState !== EventSource.CLOSED) {
				finish('failed', 'The connection to the shop was lost.');
			}
		};
	}

	form.addEventListener('submit', function (event) {
		event.preventDefault();
		const question = input.value.trim();
		if (question && !send.disabled) {
			input.value = '';
			ask(question);
		}
	});

	document.querySelectorAll('.suggestion').forEach(function (button) {
		button.addEventListener('click', function () {
			input.value = button.textContent;
			form.requestSubmit();
		});
	});

	fetch('/api/usage').then(function (response) {
		return response.json();
	}).then(function (totals) {
		showUsage('totals-usage', totals);
	});

	showSpend(0);

	fetch('/api/info').then(function (response) {
		return response.json();
	}).then(function (info) {
		document.getElementById('model-info').textContent = 'Model: ' + info.model + '. ' + info.description;
		document.getElementById('model-info').classList.toggle('offline', info.offline);
	});
})();
