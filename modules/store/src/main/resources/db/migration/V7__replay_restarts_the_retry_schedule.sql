-- Issue 14: a delivery put back in the queue by replay or retry starts the retry schedule again while its attempt
-- numbers continue: retry_base is the attempt count when it was put back, and the schedule counts failures after it.
alter table delivery_queue add column retry_base integer not null default 0;
