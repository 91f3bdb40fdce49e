package sor

// mbp10Fallback is an MBP-10 row of the exercise file's shape, for benchmarks
// where ../shared is absent.
const mbp10Fallback = `ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,bid_ct_00,ask_ct_00,bid_px_01,ask_px_01,bid_sz_01,ask_sz_01,bid_ct_01,ask_ct_01,bid_px_02,ask_px_02,bid_sz_02,ask_sz_02,bid_ct_02,ask_ct_02,bid_px_03,ask_px_03,bid_sz_03,ask_sz_03,bid_ct_03,ask_ct_03,bid_px_04,ask_px_04,bid_sz_04,ask_sz_04,bid_ct_04,ask_ct_04,bid_px_05,ask_px_05,bid_sz_05,ask_sz_05,bid_ct_05,ask_ct_05,bid_px_06,ask_px_06,bid_sz_06,ask_sz_06,bid_ct_06,ask_ct_06,bid_px_07,ask_px_07,bid_sz_07,ask_sz_07,bid_ct_07,ask_ct_07,bid_px_08,ask_px_08,bid_sz_08,ask_sz_08,bid_ct_08,ask_ct_08,bid_px_09,ask_px_09,bid_sz_09,ask_sz_09,bid_ct_09,ask_ct_09,symbol
2024-08-01T13:36:32.491911683Z,2024-08-01T13:36:32.491911683Z,10,2,38,A,B,0,222.81,100,0,170625,46542624,222.81,222.83,300,300,3,3,222.80,222.84,300,300,3,3,222.79,222.85,300,300,3,3,222.78,222.86,300,300,3,3,222.77,222.87,300,300,3,3,222.76,222.88,300,300,3,3,222.75,222.89,300,300,3,3,222.74,222.90,300,300,3,3,222.73,222.91,300,300,3,3,222.72,222.92,300,300,3,3,AAPL
`
