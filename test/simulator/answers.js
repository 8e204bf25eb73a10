'use strict';

/**
 * What the simulator puts on the wire more than once: content types, CleverTap's error envelope and
 * the constant bodies, serialised once (benchmarks push 1,000+ requests/s through the simulator).
 */

const JSON_TYPE = 'application/json;charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * CleverTap's error envelope, as recorded from the live API: `{"status":"fail","error":…,"code":…}`.
 * @param {number} code
 * @param {string} error
 */
const envelope = (code, error) => JSON.stringify({ status: 'fail', error, code });

/** The envelope as a body. @param {number} code @param {string} error */
const failBody = (code, error) => Buffer.from(envelope(code, error));

const BODY = {
	success: Buffer.from('{"status":"success"}'),
	badAccount: failBody(401, 'Account ID is not valid'),
	badPasscode: failBody(401, 'Passcode is not valid'),
	tooMany: failBody(429, 'Too many concurrent requests'),
	internal: failBody(500, 'Internal error'),
	fail200: failBody(500, 'Something went wrong'),
	partial200: Buffer.from(
		JSON.stringify({ status: 'partial', error: 'Some identities were not processed', code: 200 }),
	),
	notJson200: Buffer.from('<html>OK</html>'),
	notFound: failBody(404, 'Not found'),
	forbidden: failBody(403, 'Not allowed for this passcode'),
	empty: Buffer.alloc(0),
	methodNotAllowed: failBody(405, 'Method not allowed'),
	tooLarge: failBody(413, 'Request body too large'),
	// A page CleverTap is still preparing, as [LMCP] measured it (clevertap-api-endpoints.md §1).
	notReady: failBody(2, 'Request still in progress, please retry later'),
	// Send to users, taken: recorded 2020 [T] (CleverTap_CampaignCreator cassettes), spacing kept.
	queued: Buffer.from('{ "message" : "Added to queue for processing" , "status" : "success"}'),
	// External Trigger, taken: no answer was recorded; the words and key order of CleverTap's own
	// send sample ([SNIP] sending_push_by_identity_sample_response_success.json). Inferred.
	triggerQueued: Buffer.from('{"status":"success","message":"Added to queue for processing"}'),
	// Push without an Android notification channel: recorded 2020 [T], HTTP 400, spacing kept.
	androidChannel: Buffer.from(
		'{ "status" : "fail" , "error" : "Notification channel is required for devices having Android 8.0 or above" , "code" : 9}',
	),
	// A campaign result asked for too early: [SNIP]'s example (no code; HTTP 200 assumed).
	notCompleted: Buffer.from('{"error":"This target hasn\'t been completed","status":"fail"}'),
	html502: Buffer.from(
		'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
	),
	html503: Buffer.from(
		'<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p><hr><address>proxy</address></body></html>\n',
	),
	html504: Buffer.from(
		'<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n',
	),
};

module.exports = { JSON_TYPE, HTML_TYPE, envelope, failBody, BODY };
