-- The risk notice records the day and the method of service (送达日期、送达方式), not only the click (issue #10).
ALTER TABLE "entries" ADD COLUMN "RiskNoticeServedOn" TEXT NULL;
ALTER TABLE "entries" ADD COLUMN "RiskNoticeMethod" TEXT NULL;
