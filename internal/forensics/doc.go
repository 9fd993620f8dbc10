// Package forensics screens per-station figures with the statistical
// indicators of the election-forensics literature, and says how far each
// can be trusted.
//
// Where no signed evidence exists — an authority that publishes only
// per-station figures, or the stations no witness held a copy of —
// observers screen the figures statistically. The indicators are standard:
//
//   - the fingerprint (Klimek, Yegorov, Hanel & Thurner 2012): the
//     two-dimensional histogram of turnout against the leader's share
//     ([Fingerprint]), with the share of stations in its top corner and the
//     correlation of the two;
//   - integer-percent peaks (Kobak, Shpilkin & Pshenichnikov 2016): more
//     stations at a whole percent of turnout or of the leader's share than
//     binomial Monte Carlo resampling of the same stations gives
//     ([IntegerPeaks]);
//   - last-digit (Beber & Scacco 2012) and second-digit (Mebane's 2BL)
//     tests of the counts ([Digits]);
//   - robust outliers of turnout and share, and whether they lean towards
//     high turnout with a high share for the leader ([Outliers]).
//
// None of them is proof of anything. Honest elections fail some of them
// (the second-digit law has no theory behind it for vote counts), and
// fraud can pass all of them. Each indicator is therefore reported with its
// calibration ([Calibrations]): how often it fires on simulated honest
// elections, and how often it catches simulated fraud of the kinds Klimek et
// al. and Kobak et al. describe.
//
// triplicate knows something the usual tools do not: which stations are
// backed by signed evidence (an acta signed by its machine and held by a
// witness). Every indicator is computed for all stations, for the signed
// ones and for the rest, side by side: fraud where no witness watched shows
// as a difference between the groups.
//
// [Read] turns per-station figures ([tally.CSVRow]) into [Stations],
// excluding with a count and a reason what cannot be screened (no registered
// voters, more votes than voters, missing figures, stations not in the
// election); [Analyze] computes the indicators into a [Report], which writes
// itself as text, JSON, an HTML section and images (SVG and PNG). The
// package does no I/O but through the writers it is given.
package forensics
