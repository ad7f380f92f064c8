// A participant's first steps through AquaStream with openapi-fetch, typed by the `paths` that
// openapi-typescript generated from the served document (./api.ts, written at test time;
// a .ts file, so that tsc checks it too while skipping the npm packages' own declarations).
// `tsc --strict` checks every body, parameter and answer against the document; run with the
// server's base URL, it prints what it saw as one JSON line for the test to read.
import { randomUUID } from "node:crypto";
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];
type Booking = components["schemas"]["BookingOut"];

const baseUrl = process.argv[2];
if (baseUrl === undefined) {
  throw new Error("usage: node journey.js BASE_URL");
}
const api = createClient<paths>({ baseUrl });

function expectProblem(error: Problem | undefined, status: number): string {
  if (error === undefined || error.status !== status) {
    throw new Error(`expected a ${status} problem, got ${JSON.stringify(error)}`);
  }
  return error.code;
}

const email = `ts-journey-${Date.now()}@example.com`;
const registered = await api.POST("/api/v1/auth/register", {
  body: { email, password: "Typed-Rapids-2031!", phone: "+79997654321" },
});
if (registered.data === undefined) {
  throw new Error(`registration failed: ${JSON.stringify(registered.error)}`);
}
const headers = { Authorization: `Bearer ${registered.data.accessToken}` };

const found = await api.GET("/api/v1/events", { params: { query: { type: ["HIKE"] } } });
const event = found.data?.items[0];
if (event === undefined) {
  throw new Error(`no HIKE event: ${JSON.stringify(found.error)}`);
}
// The generated types are exact: an event has no `name` (it has a `title`).
// @ts-expect-error
void event.name;

const booked = await api.POST("/api/v1/bookings", { body: { eventId: event.id }, headers });
if (booked.data === undefined) {
  throw new Error(`booking failed: ${JSON.stringify(booked.error)}`);
}
const booking: Booking = booked.data;

const again = await api.POST("/api/v1/bookings", { body: { eventId: event.id }, headers });
const duplicate = expectProblem(again.error, 409);

const missing = await api.GET("/api/v1/bookings/{booking_id}", {
  params: { path: { booking_id: randomUUID() } },
  headers,
});
const notFound = expectProblem(missing.error, 404);

const mine = await api.GET("/api/v1/bookings", { params: { query: { size: 5 } }, headers });

console.log(
  JSON.stringify({
    event: event.title,
    booking: { status: booking.status, paymentStatus: booking.paymentStatus, amount: booking.amount },
    duplicate,
    notFound,
    mine: mine.data?.items.map((item) => item.id === booking.id),
  }),
);
