// The chat page: sends a question to /api/chat/stream and shows the answer as it streams in (EventSource), then
// the request's usage, the shop's totals, the customer's daily budget and the spend by customer from the usage
// ledger. When the budget has run out, the stream sends a "budget" event instead (the fields of the 429 problem
// detail that POST /api/chat answers) and the page says when it resets.
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
			showBudget();
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

	// The customer's daily budget: limit, spent (from the usage ledger), remaining and when it resets.
	function showBudget() {
		fetch('/api/budget?conversationId=' + encodeURIComponent(conversationId)).then(function (response) {
			return response.ok ? response.json() : null;
		}).then(function (budget) {
			const panel = document.getElementById('budget');
			if (!budget) {
				panel.dataset.state = 'none';
				document.getElementById('budget-hint').textContent = 'No daily budget per customer is configured.';
				return;
			}
			document.getElementById('budget-name').textContent = budget.budget;
			document.getElementById('budget-limit').textContent = String(budget.limitTokens);
			document.getElementById('budget-spent').textContent = String(budget.spentTokens);
			document.getElementById('budget-remaining').textContent = String(budget.remainingTokens);
			const resets = document.getElementById('budget-resets');
			resets.textContent = when(budget.resetsAt);
			resets.title = budget.resetsAt;
			const used = budget.limitTokens > 0 ? Math.min(1, budget.spentTokens / budget.limitTokens) : 1;
			document.getElementById('budget-used').style.width = (used * 100).toFixed(1) + '%';
			panel.dataset.state = (budget.remainingTokens === 0 || exhausted) ? 'exhausted'
				: (used >= 0.75 ? 'low' : 'ok');
			document.getElementById('budget-note').hidden = !(exhausted && budget.remainingTokens > 0);
		});
	}

	// A reset time for people: the local time, and the day when it is not today.
	function when(instant) {
		const date = new Date(instant);
		const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		return (date.toDateString() === new Date().toDateString()) ? time
			: date.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' }) + ' ' + time;
	}

	function inAbout(seconds) {
		if (seconds < 90) {
			return seconds + ' s';
		}
		const minutes = Math.round(seconds / 60);
		return minutes < 90 ? minutes + ' min' : Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
	}

	// Set when the shop refused a question for the budget; the ledger does not know of reservations.
	let exhausted = false;

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
		events.addEventListener('budget', function (event) {
			const refused = JSON.parse(event.data);
			exhausted = true;
			const resets = refused.resetsAt ? ' It resets at ' + when(refused.resetsAt)
				+ (refused.retryAfterSeconds !== null ? ' (in ' + inAbout(refused.retryAfterSeconds) + ')' : '') + '.'
				: '';
			const sorry = 'You have used up today\'s budget of ' + refused.limitTokens + ' tokens, so the shop '
				+ (refused.duringStream ? 'had to stop this answer.' : 'cannot answer this question.') + resets
				+ ' Please come back then.';
			if (refused.duringStream) {
				answer.textContent += '\n\n' + sorry;
			}
			else {
				answer.textContent = sorry;
			}
			answer.classList.add('refused');
			finish('refused', 'Refused: over budget (the API answers 429 Too Many Requests, Retry-After: '
				+ refused.retryAfterSeconds + ').');
			showBudget();
			showSpend(5);
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
	showBudget();

	fetch('/api/info').then(function (response) {
		return response.json();
	}).then(function (info) {
		document.getElementById('model-info').textContent = 'Model: ' + info.model + '. ' + info.description;
		document.getElementById('model-info').classList.toggle('offline', info.offline);
	});
})();
