/**
 * When the next request may go, so that it reaches CleverTap about when one of the account's slots
 * there frees. n8n opens a new connection for every request, so a request spends a connection
 * set-up and a round trip on the network besides its time at CleverTap; sent only once an answer
 * is back, the next request leaves a slot at CleverTap empty for all that time.
 *
 * What it can observe: how long answered requests take (network + service) and how long a 429
 * takes (network alone: CleverTap refuses without serving). The service time is their difference.
 * A request sent less than a service time ago is taken to hold a slot at CleverTap when a request
 * sent now arrives (both spend the same time on the way there), so a request may go while fewer
 * than `limit` were sent within the last service time, plus a margin for how much answer times
 * vary.
 */
export class Pacer {
	/** Requests on their way or at CleverTap: when each was sent, and whether it went early. */
	private readonly sent = new Map<object, { at: number; early: boolean }>();
	/** What a 429 takes: the network's share of every request (set-up and round trip). */
	private networkMs: number | undefined;
	/** What an answered request takes (a moving average), and how far answers stray from it. */
	private answerMs: number | undefined;
	private answerSpreadMs = 0;
	/**
	 * CleverTap's service time: answers less the network's share. A 429 is seen rarely, while
	 * answers keep coming, and both get shorter as n8n warms up (its first connections are slower):
	 * set from a fresh pair, the difference would shrink as answers warm up while the 429 stays cold,
	 * and requests would start to go too early. So it rises at once with answers and eases back only
	 * slowly.
	 */
	private serviceEstimateMs: number | undefined;
	/**
	 * Share of the service time added as a margin, for how much the way there varies between
	 * requests (it cannot be observed alone): wider after an early request's 429, narrower, a little,
	 * after each early request answered.
	 */
	private marginShare = MARGIN_SHARE;
	/** The least the margin may ease back to: raised after each refusal, as that margin was too small. */
	private marginFloor = MIN_MARGIN_SHARE;
	private probe: object | undefined;
	private probes = 0;
	private answers = 0;
	private requests = 0;
	/** Requests of the run as far as known: sent, and left to send. */
	private planned = 0;
	private earlyRefused = 0;
	/**
	 * Early requests allowed on their way at once: two more after each early request answered, half
	 * after one refused, so a wrong estimate costs one 429, not a burst of them.
	 */
	private earlyAllowed = 1;
	/** Set when early requests met too many 429s: from then on, requests wait for answers. */
	private off = false;
	/** Set when a request within the limit met a 429: other clients use the account's slots too. */
	private shared = false;
	/** Early requests answered since the last early one refused. */
	private earlyAnsweredInRow = 0;
	/** Requests sent before an answer freed their place (for the run's stats). */
	early = 0;

	constructor(private readonly now: () => number) {}

	/** What a request spends at CleverTap, once the network's share is known. */
	serviceMs(): number | undefined {
		return this.serviceEstimateMs;
	}

	/**
	 * Whether a request may go now beyond the `limit` already on their way (`inFlight`), and if not
	 * when to ask again. `waiting` is how many requests are left to send.
	 */
	mayGoEarly(
		limit: number,
		inFlight: number,
		waiting: number,
	): { go: true; probe: boolean } | { go: false; askAgainInMs?: number } {
		if (this.off) return { go: false };
		this.planned = Math.max(this.planned, this.requests + waiting);
		const now = this.now();
		// One request beyond the limit, sent just after `limit` others: CleverTap refuses it (429),
		// and how long that takes is the network's share. Only for runs long enough to gain from it.
		// The first requests' connections are slower to set up, so the first measure may be long: the
		// least one counts (`answered`), and early requests start one at a time (`earlyAllowed`).
		if (
			this.networkMs === undefined &&
			this.probe === undefined &&
			this.probes < MAX_PROBES &&
			this.answers >= limit * this.probes &&
			waiting >= limit * PROBE_MIN_WAVES &&
			this.holdsEverySlot(limit, now)
		) {
			this.probes++;
			return { go: true, probe: true };
		}
		const service = this.serviceMs();
		if (service === undefined || inFlight >= limit * MAX_IN_FLIGHT_PER_SLOT) return { go: false };
		// Sending early gains at most the network's share; where it is small (CleverTap close by) the
		// gain is not worth the 429 a mistimed request would meet.
		if ((this.networkMs as number) < MIN_NETWORK_SHARE * service) return { go: false };
		let earlyOnTheirWay = 0;
		for (const request of this.sent.values()) if (request.early) earlyOnTheirWay++;
		if (earlyOnTheirWay >= this.earlyAllowed) return { go: false };
		const margin = Math.max(MIN_MARGIN_MS, service * this.marginShare, 4 * this.answerSpreadMs);
		const holdFor = service + margin;
		const holding = [...this.sent.values()]
			.map((request) => request.at)
			.filter((at) => now - at < holdFor)
			.sort((a, b) => a - b);
		if (holding.length < limit) return { go: true, probe: false };
		// The slot of the limit-th newest request frees first.
		const frees = holding[holding.length - limit] + holdFor;
		return { go: false, askAgainInMs: Math.max(1, Math.ceil(frees - now)) };
	}

	/**
	 * Whether `limit` requests sent are surely still at CleverTap: the first ones while none has
	 * been answered (building a large request, such as an upload of 1,000 records, spreads them out),
	 * later ones when sent together.
	 */
	private holdsEverySlot(limit: number, now: number): boolean {
		if (this.answers === 0 && this.requests === this.sent.size) return this.sent.size >= limit;
		let recent = 0;
		for (const request of this.sent.values()) if (now - request.at < PROBE_WINDOW_MS) recent++;
		return recent >= limit;
	}

	/** A request is sent: `early` when it went beyond the limit (`mayGoEarly`), `probe` for the probe. */
	sending(request: object, early: boolean, probe = false): void {
		this.requests++;
		if (early && !probe) this.early++;
		this.sent.set(request, { at: this.now(), early: early && !probe });
		if (probe) this.probe = request;
	}

	/**
	 * A request's answer came: `throttled` for a 429. Returns whether that 429 is the node's own
	 * timing (the probe's, or met by an early request), not the account busy with other clients.
	 */
	answered(request: object, outcome: 'ok' | 'throttled' | 'other'): boolean {
		const sent = this.sent.get(request);
		this.sent.delete(request);
		if (sent === undefined) return false;
		const took = this.now() - sent.at;
		if (outcome === 'ok') {
			this.answers++;
			if (this.answerMs === undefined) {
				this.answerMs = took;
			} else {
				this.answerSpreadMs = 0.8 * this.answerSpreadMs + 0.2 * Math.abs(took - this.answerMs);
				this.answerMs = 0.8 * this.answerMs + 0.2 * took;
			}
			this.estimateService();
			if (this.probe === request) this.probe = undefined;
			if (sent.early) {
				this.earlyAnsweredInRow++;
				this.marginShare = Math.max(this.marginFloor, this.marginShare - MARGIN_EASE);
				this.earlyAllowed += 2;
			}
			return false;
		}
		if (outcome !== 'throttled') return false;
		// Refused at once: the network's share. The least seen, as a busy machine only adds to it (and
		// a network's share taken too small makes the pacer wait longer, not send too early).
		this.networkMs = Math.min(this.networkMs ?? took, took);
		this.estimateService();
		// The probe's 429 may be met by one of the first requests in its place.
		if (this.probe !== undefined) {
			this.probe = undefined;
			return true;
		}
		// Refused within the limit: other clients hold the account's slots. Sharing it comes first, so
		// from now on requests wait for answers (and the runner backs off as before).
		if (!sent.early) {
			this.off = true;
			this.shared = true;
			return false;
		}
		// Early requests still on their way when the account turned out shared meet the same other
		// clients: they wait like any other 429, instead of going again at once.
		if (this.shared) return false;
		// A 429 after a run of early requests answered is a change, most likely another client that
		// started on the account: requests timed to the slots' ends would take every slot that frees
		// before its requests can, so the node stops sending early and waits like any other 429.
		if (this.earlyAnsweredInRow >= SETTLED_EARLY_ANSWERS) {
			this.off = true;
			this.shared = true;
			return false;
		}
		this.earlyAnsweredInRow = 0;
		this.earlyRefused++;
		this.earlyAllowed = Math.max(1, Math.floor(this.earlyAllowed / 2));
		this.marginShare = Math.min(MAX_MARGIN_SHARE, this.marginShare + MARGIN_STEP);
		this.marginFloor = Math.min(
			MAX_MARGIN_SHARE,
			Math.max(this.marginFloor, this.marginShare - FLOOR_BELOW_STEP),
		);
		// CleverTap's answers vary too much to time: the budget is spent, stop sending early.
		if (this.earlyRefused + this.probes >= this.refusalBudget()) this.off = true;
		return true;
	}

	private estimateService(): void {
		if (this.networkMs === undefined || this.answerMs === undefined) return;
		const fresh = Math.max(0, this.answerMs - this.networkMs);
		const known = this.serviceEstimateMs ?? fresh;
		this.serviceEstimateMs = fresh >= known ? fresh : known - SERVICE_EASE * (known - fresh);
	}

	/** 429s the pacer may cause in a run: 4 % of its requests, and at least 3. */
	private refusalBudget(): number {
		return Math.max(MIN_REFUSALS, Math.floor(MAX_REFUSED_SHARE * this.planned));
	}
}

/** Runs shorter than this many rounds of the limit do not probe: the 429 would cost more. */
const PROBE_MIN_WAVES = 4;
/** A probe goes only while `limit` requests were sent this recently: they hold every slot. */
const PROBE_WINDOW_MS = 20;
const MAX_PROBES = 3;
/** Requests on their way at most, per slot at CleverTap (a round trip up to ~4 service times). */
const MAX_IN_FLIGHT_PER_SLOT = 5;
const MIN_MARGIN_MS = 20;
/** The network's share of a request, against its service time, below which nothing goes early. */
const MIN_NETWORK_SHARE = 0.3;
const MARGIN_SHARE = 0.25;
const MIN_MARGIN_SHARE = 0.15;
/** Share of the way the service time eases back towards a shorter one, per answer. */
const SERVICE_EASE = 0.005;
const MARGIN_EASE = 0.01;
const MARGIN_STEP = 0.1;
/** After a refusal the margin eases back to at most this much below where the refusal left it. */
const FLOOR_BELOW_STEP = 0.05;
const MAX_MARGIN_SHARE = 0.6;
/** 429s of the pacer's own (probes, early requests), as a share of the run's requests. */
const MAX_REFUSED_SHARE = 0.04;
const MIN_REFUSALS = 3;
/** Early requests answered in a row after which timing is settled: a 429 then means another client. */
const SETTLED_EARLY_ANSWERS = 6;
