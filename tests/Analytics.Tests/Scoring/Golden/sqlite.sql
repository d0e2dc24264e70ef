-- Segmentation model (k = 3, 9 features, model version 3, app golden, made 2026-12-01), sqlite dialect.
-- Returns each row's identifier, segment and segment_name; segment is NULL where a feature is missing and the model has no imputation.
WITH source_rows AS (
  SELECT "Customer No" AS segment_id,
         CAST("Région" AS TEXT) AS t1,
         CAST("Active" AS TEXT) AS t2,
         "Opened" AS d3,
         CAST("Year_Birth" AS REAL) AS n4,
         CAST("Spend" AS REAL) AS n5,
         CAST("Visits" AS REAL) AS n6,
         CAST("x""; DROP TABLE customers; --" AS REAL) AS n7
  FROM "analytics"."customers"
),
features AS (
  SELECT segment_id,
         CASE WHEN t1 = 'O''Brien \ Est' THEN 1E0 ELSE 0E0 END AS f1,
         CASE WHEN t1 IS NULL THEN 1E0 ELSE 0E0 END AS f2,
         CASE WHEN LOWER(t2) = 'yes' THEN 1E0 WHEN LOWER(t2) = 'no' THEN 0E0 END AS f3,
         (julianday('2026-06-30') - julianday(d3)) AS f4,
         (2026E0 - n4) AS f5,
         n5 AS f6,
         CASE WHEN n5 IS NULL OR n6 IS NULL THEN NULL ELSE (n5 / NULLIF(n6, 0E0)) END AS f7,
         CASE WHEN n5 IS NULL OR n6 IS NULL OR CASE WHEN n5 IS NULL OR n6 IS NULL THEN NULL ELSE (n5 / NULLIF(n6, 0E0)) END IS NULL THEN NULL ELSE (((CASE WHEN ((n5 > 500E0) AND (NOT (n6 = 0E0))) THEN CASE WHEN n6 > 0E0 OR (n6 = 0E0 AND 2E0 >= 0E0) OR (n6 < 0E0 AND 2E0 = FLOOR(2E0)) THEN POWER(n6, 2E0) END ELSE (-CASE WHEN ABS(n5) >= 0E0 THEN SQRT(ABS(n5)) END) END + (CASE WHEN CASE WHEN (n5 + 1E0) > 0E0 THEN LN((n5 + 1E0)) END >= CASE WHEN (n6 + 2E0) > 0E0 AND 10E0 > 0E0 THEN LN((n6 + 2E0)) / NULLIF(LN(10E0), 0E0) END THEN CASE WHEN (n5 + 1E0) > 0E0 THEN LN((n5 + 1E0)) END ELSE CASE WHEN (n6 + 2E0) > 0E0 AND 10E0 > 0E0 THEN LN((n6 + 2E0)) / NULLIF(LN(10E0), 0E0) END END * EXP((-1E0)))) + FLOOR(CASE WHEN (n5 + 1E0) > 0E0 THEN LOG10((n5 + 1E0)) END)) - CEILING(CASE WHEN n5 IS NULL OR n6 IS NULL THEN NULL ELSE (n5 / NULLIF(n6, 0E0)) END)) END AS f8,
         n7 AS f9
  FROM source_rows
),
step_1 AS (
  SELECT segment_id,
         (f1 - 0E0) / 1.4142135623730951E0 AS f1,
         (f2 - 0E0) / 1.4142135623730951E0 AS f2,
         COALESCE(f3, 1E0) AS f3,
         COALESCE(f4, 1200.5E0) AS f4,
         (f5 - 18E0) / 62E0 AS f5,
         COALESCE(f6, 310.25E0) AS f6,
         COALESCE(f7, 61.125E0) AS f7,
         COALESCE(f8, (-3.5E0)) AS f8,
         COALESCE(f9, 20E0) AS f9
  FROM features
),
step_2 AS (
  SELECT segment_id,
         f1 AS f1,
         f2 AS f2,
         (f3 - 0.4E0) / 0.49E0 AS f3,
         (f4 - 1100E0) / 600E0 AS f4,
         f5 AS f5,
         CASE WHEN f6 > -1E0 THEN LN(1E0 + f6) END AS f6,
         (f7 - 61.125E0) / 40.5E0 AS f7,
         (f8 - 2.25E0) / 7.75E0 AS f8,
         (f9 - 21.5E0) / 9.25E0 AS f9
  FROM step_1
),
step_3 AS (
  SELECT segment_id,
         f1 AS f1,
         f2 AS f2,
         f3 AS f3,
         f4 AS f4,
         f5 AS f5,
         CASE WHEN f6 < 3.2E0 THEN 3.2E0 WHEN f6 > 7.9E0 THEN 7.9E0 ELSE f6 END AS f6,
         f7 AS f7,
         f8 AS f8,
         f9 AS f9
  FROM step_2
),
step_4 AS (
  SELECT segment_id,
         f1 AS f1,
         f2 AS f2,
         f3 AS f3,
         f4 AS f4,
         f5 AS f5,
         (f6 - 5.5E0) / 1.25E0 AS f6,
         f7 AS f7,
         f8 AS f8,
         f9 AS f9
  FROM step_3
),
distances AS (
  SELECT segment_id,
         (f1 - 0.10000000149011612E0) * (f1 - 0.10000000149011612E0) + (f2 - 0E0) * (f2 - 0E0) + (f3 - (-0.5E0)) * (f3 - (-0.5E0)) + (f4 - 0.25E0) * (f4 - 0.25E0) + (f5 - 0.30000001192092896E0) * (f5 - 0.30000001192092896E0) + (f6 - (-1.2000000476837158E0)) * (f6 - (-1.2000000476837158E0)) + (f7 - (-0.4000000059604645E0)) * (f7 - (-0.4000000059604645E0)) + (f8 - (-0.30000001192092896E0)) * (f8 - (-0.30000001192092896E0)) + (f9 - (-0.800000011920929E0)) * (f9 - (-0.800000011920929E0)) AS d1,
         (f1 - 0.6000000238418579E0) * (f1 - 0.6000000238418579E0) + (f2 - 0E0) * (f2 - 0E0) + (f3 - 0.8999999761581421E0) * (f3 - 0.8999999761581421E0) + (f4 - (-0.20000000298023224E0)) * (f4 - (-0.20000000298023224E0)) + (f5 - 0.5E0) * (f5 - 0.5E0) + (f6 - 0.4000000059604645E0) * (f6 - 0.4000000059604645E0) + (f7 - 0.20000000298023224E0) * (f7 - 0.20000000298023224E0) + (f8 - 0.10000000149011612E0) * (f8 - 0.10000000149011612E0) + (f9 - 0.30000001192092896E0) * (f9 - 0.30000001192092896E0) AS d2,
         (f1 - 0.20000000298023224E0) * (f1 - 0.20000000298023224E0) + (f2 - 0.05000000074505806E0) * (f2 - 0.05000000074505806E0) + (f3 - 0.10000000149011612E0) * (f3 - 0.10000000149011612E0) + (f4 - 0.699999988079071E0) * (f4 - 0.699999988079071E0) + (f5 - 0.6000000238418579E0) * (f5 - 0.6000000238418579E0) + (f6 - 1.5E0) * (f6 - 1.5E0) + (f7 - 1.100000023841858E0) * (f7 - 1.100000023841858E0) + (f8 - 0.8999999761581421E0) * (f8 - 0.8999999761581421E0) + (f9 - 1.2000000476837158E0) * (f9 - 1.2000000476837158E0) AS d3
  FROM step_4
),
nearest AS (
  SELECT segment_id,
         CASE WHEN d1 IS NULL THEN NULL
              WHEN d1 <= d2 AND d1 <= d3 THEN 1
              WHEN d2 <= d3 THEN 2
              ELSE 3 END AS segment_index
  FROM distances
)
SELECT segment_id AS "Customer No",
       CASE segment_index WHEN 1 THEN 2 WHEN 2 THEN 5 WHEN 3 THEN 7 END AS segment,
       CASE segment_index WHEN 1 THEN 'Occasional ''small'' spenders' WHEN 2 THEN 'Regulars; "loyal" -- keep' WHEN 3 THEN 'Big spenders \ VIP' END AS segment_name
FROM nearest
