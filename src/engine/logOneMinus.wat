;; log(1 - u) for a batch of doubles, two at a time in WebAssembly's 128-bit lanes: the
;; exponential draws' logarithm (see logOneMinus.ts), bit for bit what Math.log gives.
;;
;; Math.log in V8 is fdlibm's __ieee754_log. For a normal x it writes x = 2^k (1 + f) with
;; 1 + f in [sqrt(2)/2, sqrt(2)), takes s = f / (2 + f) and a polynomial R in s², and
;; returns one of two sums of the same terms, chosen by where the leading bits of x's
;; mantissa fall. The code below does each of those operations in the same order, so each
;; rounds as fdlibm's does, on both lanes, and picks the sum fdlibm would have returned.
;; fdlibm's special cases for k = 0 give the same bits as its general sums with k = 0 (a
;; term 0·ln2 adds +0, and 0 − (a − f) is f − a in round-to-nearest), so they are not
;; kept apart here.
;;
;; Lanes fdlibm treats otherwise are not computed but flagged: x zero, negative,
;; subnormal, infinite or NaN (high word below 0x00100000 or above 0x7fefffff as a signed
;; integer), and |f| < 2^-20, where fdlibm sums a shorter series. For uniforms u in [0, 1)
;; only the last can happen, for 3 numbers in 2^20. logOneMinus.ts recomputes a batch
;; with a flagged lane with Math.log.
;;
;; scripts/wasm.ts assembles this file into logOneMinus.wasm.ts (the bytes the library
;; loads); test/logOneMinus.test.ts fails while the two disagree.
(module
  ;; One page (64 KiB): the batch, in place, from byte 0. It never grows, so no view of it
  ;; is ever detached.
  (memory (export "memory") 1)

  ;; Replaces m[i] with log(1 - m[i]) for i in [0, n), a pair of doubles at a time (an odd
  ;; n also rewrites the double after the last). Returns nonzero when a lane took a branch
  ;; of fdlibm's that is not computed here (its result is then not log(1 - m[i])).
  (func (export "logOneMinus") (param $n i32) (result i32)
    (local $p i32) (local $end i32)
    ;; constants, set once: V8 builds a splat anew on each use inside the loop
    (local $one v128) (local $two v128) (local $half v128)
    (local $fracMask v128) (local $bias v128) (local $minNormal v128) (local $maxFinite v128) (local $three v128) (local $twoInt v128)
    (local $sqrt2Bits v128) (local $bit20 v128) (local $oneHigh v128) (local $bound1 v128) (local $bound2 v128) (local $zero v128)
    (local $lg1 v128) (local $lg2 v128) (local $lg3 v128) (local $lg4 v128) (local $lg5 v128) (local $lg6 v128) (local $lg7 v128)
    (local $ln2Hi v128) (local $ln2Lo v128)
    ;; per pair: x's bits, whose odd 32-bit lanes are the high words; the rest as fdlibm names them
    (local $x v128) (local $hx v128) (local $i v128) (local $k v128) (local $f v128) (local $s v128)
    (local $z v128) (local $w v128) (local $R v128) (local $dk v128) (local $hfsq v128) (local $other v128)
    (local $sum1 v128) (local $sum2 v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $two (f64x2.splat (f64.const 2)))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    (local.set $fracMask (i32x4.splat (i32.const 0x000fffff)))
    (local.set $bias (i32x4.splat (i32.const 1023)))
    (local.set $minNormal (i32x4.splat (i32.const 0x00100000)))
    (local.set $maxFinite (i32x4.splat (i32.const 0x7fefffff)))
    (local.set $three (i32x4.splat (i32.const 3)))
    (local.set $twoInt (i32x4.splat (i32.const 2)))
    (local.set $sqrt2Bits (i32x4.splat (i32.const 0x95f64)))
    (local.set $bit20 (i32x4.splat (i32.const 0x100000)))
    (local.set $oneHigh (i32x4.splat (i32.const 0x3ff00000)))
    (local.set $bound1 (i32x4.splat (i32.const 0x6147a)))
    (local.set $bound2 (i32x4.splat (i32.const 0x6b851)))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $lg1 (f64x2.splat (f64.const 6.666666666666735130e-01)))
    (local.set $lg2 (f64x2.splat (f64.const 3.999999999940941908e-01)))
    (local.set $lg3 (f64x2.splat (f64.const 2.857142874366239149e-01)))
    (local.set $lg4 (f64x2.splat (f64.const 2.222219843214978396e-01)))
    (local.set $lg5 (f64x2.splat (f64.const 1.818357216161805012e-01)))
    (local.set $lg6 (f64x2.splat (f64.const 1.531383769920937332e-01)))
    (local.set $lg7 (f64x2.splat (f64.const 1.479819860511658591e-01)))
    (local.set $ln2Hi (f64x2.splat (f64.const 6.93147180369123816490e-01)))
    (local.set $ln2Lo (f64x2.splat (f64.const 1.90821492927058770002e-10)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f64x2.sub (local.get $one) (v128.load (local.get $p))))
        ;; hx = the high word's 20 mantissa bits
        (local.set $hx (v128.and (local.get $x) (local.get $fracMask)))
        (local.set $other (v128.or (local.get $other)
          (v128.or
            (v128.or (i32x4.gt_s (local.get $minNormal) (local.get $x)) (i32x4.gt_s (local.get $x) (local.get $maxFinite)))
            (i32x4.lt_s (v128.and (i32x4.add (local.get $hx) (local.get $twoInt)) (local.get $fracMask)) (local.get $three)))))
        ;; i = (hx + 0x95f64) & 0x100000: whether 1 + f is taken as x's mantissa over 2
        (local.set $i (v128.and (i32x4.add (local.get $hx) (local.get $sqrt2Bits)) (local.get $bit20)))
        (local.set $k (i32x4.add
          (i32x4.sub (i32x4.shr_u (local.get $x) (i32.const 20)) (local.get $bias))
          (i32x4.shr_u (local.get $i) (i32.const 20))))
        ;; x normalized: its high word hx | (i ^ 0x3ff00000), its low word kept
        (local.set $x (i8x16.shuffle 0 1 2 3 20 21 22 23 8 9 10 11 28 29 30 31
          (local.get $x) (v128.or (local.get $hx) (v128.xor (local.get $i) (local.get $oneHigh)))))
        (local.set $f (f64x2.sub (local.get $x) (local.get $one)))
        (local.set $s (f64x2.div (local.get $f) (f64x2.add (local.get $two) (local.get $f))))
        ;; dk = k as a double (k from the odd lanes)
        (local.set $dk (f64x2.convert_low_i32x4_s
          (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $k) (local.get $k))))
        (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
        (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
        ;; R = t2 + t1, t2 = z(Lg1 + w(Lg3 + w(Lg5 + w Lg7))), t1 = w(Lg2 + w(Lg4 + w Lg6))
        (local.set $R (f64x2.add
          (f64x2.mul (local.get $z)
            (f64x2.add (local.get $lg1) (f64x2.mul (local.get $w)
              (f64x2.add (local.get $lg3) (f64x2.mul (local.get $w)
                (f64x2.add (local.get $lg5) (f64x2.mul (local.get $w) (local.get $lg7))))))))
          (f64x2.mul (local.get $w)
            (f64x2.add (local.get $lg2) (f64x2.mul (local.get $w)
              (f64x2.add (local.get $lg4) (f64x2.mul (local.get $w) (local.get $lg6))))))))
        ;; hfsq = 0.5 f f
        (local.set $hfsq (f64x2.mul (f64x2.mul (local.get $half) (local.get $f)) (local.get $f)))
        ;; dk ln2_hi − ((hfsq − (s (hfsq + R) + dk ln2_lo)) − f)
        (local.set $sum1 (f64x2.sub (f64x2.mul (local.get $dk) (local.get $ln2Hi))
          (f64x2.sub
            (f64x2.sub (local.get $hfsq)
              (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $R)))
                         (f64x2.mul (local.get $dk) (local.get $ln2Lo))))
            (local.get $f))))
        ;; dk ln2_hi − ((s (f − R) − dk ln2_lo) − f)
        (local.set $sum2 (f64x2.sub (f64x2.mul (local.get $dk) (local.get $ln2Hi))
          (f64x2.sub
            (f64x2.sub (f64x2.mul (local.get $s) (f64x2.sub (local.get $f) (local.get $R)))
                       (f64x2.mul (local.get $dk) (local.get $ln2Lo)))
            (local.get $f))))
        ;; the first sum where ((hx − 0x6147a) | (0x6b851 − hx)) > 0, the second elsewhere
        (v128.store (local.get $p)
          (v128.bitselect (local.get $sum1) (local.get $sum2)
            (i8x16.shuffle 4 5 6 7 4 5 6 7 12 13 14 15 12 13 14 15
              (i32x4.gt_s
                (v128.or (i32x4.sub (local.get $hx) (local.get $bound1)) (i32x4.sub (local.get $bound2) (local.get $hx)))
                (local.get $zero))
              (local.get $zero))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pair)))
    (i32.or (i32x4.extract_lane 1 (local.get $other)) (i32x4.extract_lane 3 (local.get $other)))))
