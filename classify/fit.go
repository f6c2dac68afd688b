package classify

import "math"

// sparseRow is one training example for fitSparse: dense features, the
// columns of its present learned features and their common value.
type sparseRow struct {
	dense []float64
	cols  []int32
	val   float64
}

// fitSparse fits an L2-regularised logistic regression over dense features
// and binary sparse columns by L-BFGS, penalising dense weights by
// lambdaDense and sparse ones by lambdaSparse (the bias not at all). It is
// deterministic: a fixed start at zero, a fixed order, no sampling.
func fitSparse(rows []sparseRow, ys []float64, nSparse int, lambdaDense, lambdaSparse float64) (bias float64, dense, sparse []float64) {
	d := len(rows[0].dense)
	n := 1 + d + nSparse
	penalty := func(i int) float64 {
		switch {
		case i == 0:
			return 0
		case i <= d:
			return lambdaDense
		}
		return lambdaSparse
	}
	eval := func(theta, grad []float64) float64 {
		clear(grad)
		loss := 0.0
		for k, r := range rows {
			z := theta[0]
			for j, v := range r.dense {
				z += theta[1+j] * v
			}
			for _, c := range r.cols {
				z += theta[1+d+int(c)] * r.val
			}
			// log(1+e^z) - y z, computed stably.
			if z > 0 {
				loss += z + math.Log1p(math.Exp(-z)) - ys[k]*z
			} else {
				loss += math.Log1p(math.Exp(z)) - ys[k]*z
			}
			g := sigmoid(z) - ys[k]
			grad[0] += g
			for j, v := range r.dense {
				grad[1+j] += g * v
			}
			for _, c := range r.cols {
				grad[1+d+int(c)] += g * r.val
			}
		}
		for i := 1; i < n; i++ {
			l := penalty(i)
			loss += 0.5 * l * theta[i] * theta[i]
			grad[i] += l * theta[i]
		}
		return loss
	}
	theta := lbfgs(n, eval, 400)
	return theta[0], theta[1 : 1+d], theta[1+d:]
}

// lbfgs minimises f from zero by limited-memory BFGS with a backtracking
// (Armijo) line search, for at most maxIter iterations. f writes the
// gradient into its second argument and returns the value.
func lbfgs(n int, f func(x, g []float64) float64, maxIter int) []float64 {
	const m = 10
	x := make([]float64, n)
	g := make([]float64, n)
	fx := f(x, g)
	var ss, ys [][]float64
	var rhos []float64
	dir := make([]float64, n)
	xNew := make([]float64, n)
	gNew := make([]float64, n)
	alpha := make([]float64, m)
	for iter := 0; iter < maxIter; iter++ {
		gmax := 0.0
		for _, v := range g {
			gmax = math.Max(gmax, math.Abs(v))
		}
		if gmax < 1e-6 {
			break
		}
		// Two-loop recursion: dir = -H g.
		copy(dir, g)
		for k := len(ss) - 1; k >= 0; k-- {
			alpha[k] = rhos[k] * dot(ss[k], dir)
			axpy(-alpha[k], ys[k], dir)
		}
		if k := len(ss) - 1; k >= 0 {
			scale(dot(ss[k], ys[k])/dot(ys[k], ys[k]), dir)
		} else {
			scale(1/math.Max(1, math.Sqrt(dot(g, g))), dir)
		}
		for k := range ss {
			b := rhos[k] * dot(ys[k], dir)
			axpy(alpha[k]-b, ss[k], dir)
		}
		scale(-1, dir)
		slope := dot(g, dir)
		if slope >= 0 { // not a descent direction: restart
			ss, ys, rhos = nil, nil, nil
			copy(dir, g)
			scale(-1/math.Max(1, math.Sqrt(dot(g, g))), dir)
			slope = dot(g, dir)
		}
		step, fNew := 1.0, 0.0
		for tries := 0; ; tries++ {
			for i := range x {
				xNew[i] = x[i] + step*dir[i]
			}
			fNew = f(xNew, gNew)
			if fNew <= fx+1e-4*step*slope || tries == 30 {
				break
			}
			step /= 2
		}
		if fx-fNew < 1e-10*math.Max(1, math.Abs(fx)) {
			copy(x, xNew)
			break
		}
		s := make([]float64, n)
		y := make([]float64, n)
		for i := range x {
			s[i] = xNew[i] - x[i]
			y[i] = gNew[i] - g[i]
		}
		if sy := dot(s, y); sy > 1e-12 {
			if len(ss) == m {
				ss, ys, rhos = ss[1:], ys[1:], rhos[1:]
			}
			ss, ys, rhos = append(ss, s), append(ys, y), append(rhos, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		fx = fNew
	}
	return x
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}
